"""Sphinx configuration of the neuromuscle documentation.

Build: ``sphinx-build -W -b html docs docs/_build/html`` (the test
``tests/test_docs.py`` does exactly this into a temporary folder). The gallery runs every
experiment script in its quick mode and the tutorials are executed notebooks, so every
figure and table in the site is made by code the build runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE / "_ext"))
# the notebooks' kernels and the gallery's scripts import the package from this checkout
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
# the notebooks' kernels inherit this: the inline backend puts their figures in the pages
# (under Agg, which a headless caller may have set, a kernel shows none); the gallery
# switches its own process to Agg
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

import neuromuscle  # noqa: E402

project = "neuromuscle"
author = "neuromuscle developers"
copyright = "neuromuscle developers"
release = version = neuromuscle.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinxcontrib.bibtex",
    "sphinx_gallery.gen_gallery",
    "sphinxarg.ext",
    "nm_docs",
]

# Research notes and development material are not user documentation.
# models/data: tables written by experiment scripts, included into the model pages
exclude_patterns = ["_build", "research", "models/data", "gallery_src/README.rst", "**.ipynb_checkpoints",
                    "auto_gallery/*.ipynb", "auto_gallery/*.py", "auto_gallery/*.zip",
                    "auto_gallery/*.json", "auto_gallery/*.md5"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
root_doc = "index"

# ---------------------------------------------------------------- MyST and notebooks
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "force"
nb_execution_timeout = 180
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# ---------------------------------------------------------------- API reference
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc writes the types from the docstrings
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# ---------------------------------------------------------------- bibliography
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# ---------------------------------------------------------------- gallery


sphinx_gallery_conf = {
    "examples_dirs": "gallery_src",
    "gallery_dirs": "auto_gallery",
    "filename_pattern": r"/gallery_",
    "ignore_pattern": r"__init__\.py",
    "image_scrapers": ("nm_docs.gallery_scraper",),
    "capture_repr": ("_repr_html_",),
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "plot_gallery": "True",
    "parallel": True,  # as many processes as sphinx-build -j
    "show_memory": False,
    "min_reported_time": 1e9,
}

intersphinx_mapping: dict = {}

# ---------------------------------------------------------------- HTML
html_theme = "pydata_sphinx_theme"
html_title = "neuromuscle"
html_static_path = ["_static"]
templates_path = ["_templates"]
html_css_files = ["neuromuscle.css"]
html_theme_options = {
    "navbar_end": ["navbar-icon-links"],
    "secondary_sidebar_items": ["page-toc"],
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
html_sidebars = {"index": []}
html_show_sourcelink = False

# one gallery example per experiment script (written here so a new script is picked up)
from nm_docs import write_gallery_sources  # noqa: E402

write_gallery_sources()
