"""The double cable of a myelinated axon (McIntyre, Richardson & Grill 2002).

Each compartment k has an axolemma (potential ``V = v_i - v_p``, inside minus periaxonal
space) in series with the myelin sheath (potential ``Vp = v_p``, periaxonal space minus
the grounded extracellular medium). Neighbouring compartments are coupled through the
axoplasm and, separately, through the periaxonal space. With currents in uA, potentials
in mV, capacitances in uF and conductances in mS (per compartment):

.. math::

    I_{ax,k} = \\sum_{j = k \\pm 1} G_{a,kj} (v_{i,j} - v_{i,k}),\\qquad
    I_{p,k} = \\sum_{j = k \\pm 1} G_{p,kj} (V_{p,j} - V_{p,k})

    C_{m,k} \\dot V_k = I_{ax,k} + I_{stim,k} - A_k I_{ion,k}

    C_{my,k} \\dot V_{p,k} = I_{ax,k} + I_{stim,k} + I_{p,k} - G_{my,k} V_{p,k}

(Kirchhoff's law at the axoplasm and at the periaxonal space). At a node the myelin is
absent: NEURON's ``xg = 1e10, xc = 0`` clamp the periaxonal potential to ground, which is
imposed here exactly (``V_p = 0`` and a zero derivative). The coupling conductances are the
series sum of the two half-sections, as NEURON computes them for ``nseg = 1``; the ends are
sealed. The applied current ``I_stim`` (uA/cm2) is injected into the axoplasm of the
stimulated compartment, per cm2 of its membrane.
"""

from __future__ import annotations

import numpy as np

from ..citations import cite
from .base import Component, Output, State

__all__ = ["DoubleCable"]


def _neighbour_difference(x):
    """``(x[k-1] - x[k], x[k+1] - x[k])`` along the first axis, zero beyond the ends."""
    left = np.zeros_like(x)
    right = np.zeros_like(x)
    left[1:] = x[:-1] - x[1:]
    right[:-1] = x[1:] - x[:-1]
    return left, right


class DoubleCable(Component):
    """Axoplasm and periaxonal space of a myelinated axon, compartment by compartment.

    Constants (one value per compartment): ``area`` (cm2, membrane area), ``cm`` (uF/cm2),
    ``c_my`` and ``g_my`` (myelin capacitance, uF/cm2, and conductance, mS/cm2, per cm2 of
    ``area``), ``g_left``/``g_right`` and ``gp_left``/``gp_right`` (mS: axoplasmic and
    periaxonal coupling to the previous / next compartment), ``is_node`` (1 at nodes),
    ``stim_area`` (cm2 at the stimulated compartment, else 0).
    """

    states = (
        State("V", "mV", "Axolemma potential (axoplasm minus periaxonal space)", -85.9, shared=True),
        State("Vp", "mV", "Periaxonal potential (periaxonal space minus outside; 0 at nodes)", 0.0, shared=True),
    )
    outputs = (
        Output("I_axial", "uA", "Net axial current into the compartment's axoplasm"),
        Output("I_membrane", "uA/cm2", "Membrane current density through the axolemma (capacitive + ionic)"),
    )
    citation = f"{cite('mcintyre2002')} (double cable; ModelDB 3810)"

    @classmethod
    def default_inputs(cls):
        return {"I_ion": "I_ion", "I_stim": "I_stim"}

    @staticmethod
    def equations(I_ion, I_stim, V, Vp, area, cm, c_my, g_my, g_left, g_right, gp_left, gp_right,
                  is_node, stim_area):
        vi = V + Vp
        dl, dr = _neighbour_difference(vi)
        pl, pr = _neighbour_difference(Vp)
        i_ax = g_left * dl + g_right * dr
        i_in = i_ax + I_stim * stim_area
        i_p = gp_left * pl + gp_right * pr
        dV = (i_in - I_ion * area) / (cm * area)
        internode = 1.0 - is_node
        dVp = internode * (i_in + i_p - g_my * area * Vp) / (c_my * area + is_node)
        return i_ax, i_in / area, dV, dVp
