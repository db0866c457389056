"""Every parameter's source names a registered publication, or says what else it is."""

import importlib
import inspect
import pkgutil
import re

import pytest

import neuromuscle.components as components_pkg
import neuromuscle.models as models_pkg
from neuromuscle.citations import NON_PUBLICATION_FORMS, REFERENCES, cite, reference, source_problem
from neuromuscle.components.base import Component
from neuromuscle.electrolytes import Electrolytes
from neuromuscle.model import Model


def _factories():
    """Every published model factory: the callables of ``neuromuscle.models`` that build a Model."""
    return [name for name in models_pkg.__all__
            if callable(obj := getattr(models_pkg, name)) and inspect.signature(obj).return_annotation
            in (Model, "Model")]


def _components():
    """Every component class that builds from a name alone (the others appear in the factories)."""
    found = {}
    for info in pkgutil.iter_modules(components_pkg.__path__):
        module = importlib.import_module(f"{components_pkg.__name__}.{info.name}")
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, Component) and cls.__module__ == module.__name__:
                try:
                    found[cls.__qualname__] = cls("c")
                except TypeError:  # needs more than a name: built by a factory
                    continue
    return found


@pytest.fixture(scope="module")
def published_models():
    return {name: getattr(models_pkg, name)() for name in _factories()}


def _problems(parameters, where):
    return [f"{where}: {k} = {p.value:g} {p.unit}: source {p.source!r} {why}"
            for k, p in parameters.items() if (why := source_problem(p.source))]


def test_the_walk_finds_the_published_models():
    assert {"hodgkin_huxley", "motor_axon", "muscle_fibre", "muscle_ec", "motor_axon_myelinated",
            "nerve_muscle"} <= set(_factories())


def test_every_model_parameter_cites_a_registered_source(published_models):
    # the model's own parameters, its declared sub-models' and its components'
    problems = [p for name, model in published_models.items() for p in _model_problems(model, name)]
    assert not problems, "\n".join(problems)


def _model_problems(model, name):
    problems = _problems(model.parameters, name)
    for sub, submodel in model.submodels.items():
        problems += _problems(submodel.parameters, f"{name}.{sub}")
    for c in model.components:
        problems += _problems(c.parameters, f"{name}.{c.name}")
    return problems


# Models built with non-default arguments: a value the user sets must still have a source
# (an "input: ..." one), not only the published defaults.
_NON_DEFAULT_BUILDS = {
    "hodgkin_huxley(celsius=20)": lambda: models_pkg.hodgkin_huxley(celsius=20.0),
    "hodgkin_huxley(nernst, K given)": lambda: models_pkg.hodgkin_huxley(
        reversal="nernst", concentrations={"K": (10.0, 400.0)}),
    "hodgkin_huxley(gating_shift=5)": lambda: models_pkg.hodgkin_huxley(gating_shift=5.0),
    "motor_axon(hypokalaemia_severe)": lambda: models_pkg.motor_axon(
        "hypokalaemia_severe", nap_fraction=0.02),
    "muscle_fibre(hypocalcaemia_severe)": lambda: models_pkg.muscle_fibre(
        Electrolytes.preset("hypocalcaemia_severe"), cation_leak=0.015, resting="published"),
    "muscle_ec(hypokalaemia_mild)": lambda: models_pkg.muscle_ec(
        Electrolytes.preset("hypokalaemia_mild"), free_mg=0.8),
    "motor_axon_myelinated(hyperventilation)": lambda: models_pkg.motor_axon_myelinated(
        "hyperventilation", fibre_diameter=12.0, n_nodes=5, lamellae=60.0, pump_density=5.0),
    "hodgkin_huxley().with_parameters": lambda: models_pkg.hodgkin_huxley().with_parameters(
        celsius=15.0, na__g=100.0).with_parameters(celsius=18.0),
}


@pytest.mark.parametrize("build", sorted(_NON_DEFAULT_BUILDS))
def test_models_built_with_non_default_arguments_cite_their_sources(build):
    problems = _model_problems(_NON_DEFAULT_BUILDS[build](), build)
    assert not problems, "\n".join(problems)


def test_every_component_parameter_cites_a_registered_source():
    comps = _components()
    assert len(comps) > 30  # the walk reaches the components
    problems = [p for name, c in comps.items() for p in _problems(c.parameters, name)]
    assert not problems, "\n".join(problems)


def test_every_component_citation_cites_a_registered_source(published_models):
    # a component's citation (the paper of its equations) follows the same rules; empty is
    # allowed for generic parts (a fixed reversal, a leak whose model sets it). Model
    # citations are not checked: the HH model gives the full reference, nerve_muscle a
    # list by part.
    comps = list(_components().values()) + [c for m in published_models.values() for c in m.components]
    problems = sorted({f"{type(c).__name__}: citation {c.citation!r} {why}" for c in comps
                       if c.citation and (why := source_problem(c.citation))})
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", [
    "Hodgkin and Huxley 1952",                          # free text, not the registered short form
    "Smith et al. 2001 J Physiol 1:1, Table 2",          # an unregistered paper
    "calibrated to the twitch",                          # a non-publication source not in the allowed forms
    "fitted: ",                                          # an allowed form that says nothing
    "",
])
def test_free_text_sources_are_refused(source):
    assert source_problem(source) is not None


@pytest.mark.parametrize("source", [
    cite("hodgkin1952", "Table 3 (g_Na)"),
    cite("dodge1967"),
    "fitted: log-log slope of release vs Ca (experiments/calibrate_junction.py)",
    "input: electrolytes 'normal'",
])
def test_cited_and_declared_sources_are_accepted(source):
    assert source_problem(source) is None


def test_registry_entries_are_well_formed():
    assert set(NON_PUBLICATION_FORMS) == {"fitted: ", "derived: ", "assumption: ", "input: ", "definition: "}
    shorts = [r.short for r in REFERENCES.values()]
    assert len(set(shorts)) == len(shorts)
    for key, ref in REFERENCES.items():
        assert reference(key) is ref
        year = "".join(ch for ch in key if ch.isdigit())
        assert year in ref.short and year in ref.full, key
        # no short citation is the start of another (so a source names one paper)
        assert not [s for s in shorts if s != ref.short and s.startswith(ref.short)], key


def _written_out_patterns():
    """Per registered reference: its short citation and a pattern for its first author followed,
    within a few words, by its year (how a reference is written out by hand)."""
    out = []
    for key, ref in REFERENCES.items():
        year = re.search(r"\b(1[89]\d\d|20\d\d)\b", ref.short).group(1)
        first = re.match(r"[\w'-]+", ref.short).group(0)
        out.append((key, ref.short, re.compile(rf"\b{re.escape(first)}\b\D{{0,40}}?\b{year}\b")))
    return out


_WRITTEN_OUT = _written_out_patterns()


def written_out_references(source):
    """The registered references ``source`` names other than by their short citation, i.e.
    other than as :func:`cite` writes them: ``[(key, text), ...]``."""
    return [(key, m.group(0)) for key, short, pat in _WRITTEN_OUT for m in pat.finditer(source)
            if not source.startswith(short, m.start())]


@pytest.mark.parametrize("source, key", [
    ("derived: from Fryer & Stephenson 1996 (SR Ca content)", "fryer1996"),       # author-year only
    (f"{cite('wallinga1999')}, as transcribed in the Shorten 2007 CellML", "shorten2007"),
    (f"{cite('baylor1998')} (as used by Shorten et al. 2007)", "shorten2007"),
    ("Hodgkin & Huxley (1952), Table 3", "hodgkin1952"),
    ("assumption: after Senneff & Lowery's 2021 code", "senneff2021"),
])
def test_a_written_out_reference_is_found(source, key):
    assert key in {k for k, _ in written_out_references(source)}


@pytest.mark.parametrize("source", [
    cite("fryer1996", "SR Ca content"),
    f"derived: from {cite('fryer1996')} and {cite('ziman2010')} (free SR Ca)",
    f"{cite('campbell2018')} and Campbell et al. 2020",        # another paper of the first author
    f"{cite('baylor2003')}; {cite('baylor2007')}",              # same authors, other years
    "fitted: to the twitch of 2007 (experiments/fit.py)",
])
def test_a_cited_reference_is_not_flagged(source):
    assert written_out_references(source) == []


def _all_sources(models):
    """``(module, where, source)`` of every component parameter and component citation: the
    components built from a name and those of the given models."""
    comps = list(_components().items())
    for name, model in models.items():
        comps += [(f"{name}.{c.name}", c) for c in model.components]
    out = set()
    for where, c in comps:
        module = type(c).__module__
        out |= {(module, f"{where}.{k}", p.source) for k, p in c.parameters.items()}
        if c.citation:
            out.add((module, f"{where}.citation", c.citation))
    return sorted(out)


def _written_out_problems(models):
    return [f"{where}: {text!r} written out in {source!r}; use cite({key!r}, ...)"
            for module, where, source in _all_sources(models)
            for key, text in written_out_references(source)]


@pytest.fixture(scope="module")
def built_models(published_models):
    return {**published_models, **{name: build() for name, build in _NON_DEFAULT_BUILDS.items()}}


def test_no_source_writes_out_a_registered_reference(built_models):
    problems = _written_out_problems(built_models)
    assert not problems, "\n".join(problems)

