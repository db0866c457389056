"""Muscle Na channel whose fast gating runs at the speed measured in native fibres.

:class:`NativeSodium` is Wallinga et al.'s muscle Na current, ``I = g m^3 h S (V - E_Na)``,
with Wallinga's voltage dependences and slow inactivation ``S``, but with its two fast gates
running at the speeds measured by voltage clamp of native skeletal-muscle fibres at 15 C
(Collins, Rojas & Suarez-Isla 1982, J Physiol 324:297, frog cut fibres; abstract):

* activation: the largest ``tau_m`` is 0.43 ms. Wallinga's ``alpha_m`` and ``beta_m`` are
  multiplied by one factor, so ``m_inf`` does not move;
* fast inactivation: the largest ``tau_h`` is 0.925 ms (same source), and steady-state
  inactivation is half at -70 mV, the value measured in mammalian native fibres (rat
  soleus, loose patch, about 18 C; J Physiol, "Comparison between slow sodium channel
  inactivation in rat slow- and fast-twitch muscle"; abstract) in place of Wallinga's
  -80 mV. Wallinga's ``alpha_h`` and ``beta_h`` are multiplied by one factor each, which
  these two numbers fix. Wallinga's ``h`` recovers with ``tau`` about 33 ms near rest at
  16 C, some thirty times the measured maximum: the reason the fibre could not follow trains
  in the cold.

The factors follow in closed form from the measured numbers (:func:`gate_factors`), at the
rates' reference temperature of 15 C; above and below it every rate scales with Wallinga's Q10 (2.3,
Senneff & Lowery 2021). What the change implies and was not fitted (``tau_h`` at -100 mV, the
voltage of the largest ``tau_h``, the AP, train following) is compared with measurements in
docs/models/ec_coupling.md. Gates see ``V - dV_surface`` like every gate in the package.
"""

from __future__ import annotations

import functools

import numpy as np

from ..citations import cite
from .base import Component, Output, Parameter
from .gating import q10_factor
from .muscle_wallinga import WallingaSodium, wallinga_sodium_rates

__all__ = ["NativeSodium", "gate_factors", "native_sodium_rates"]

_COLLINS = (f"{cite('collins1982')} (frog cut fibres, 15 C, m3h fit: largest tau_m "
            "430 us at -43 mV, largest tau_h 925 us at -78 mV; abstract, PMC1250707)")
#: Wallinga's rates are taken as 37 C values with Q10 2.3 (muscle_wallinga); at the native
#: channel's reference temperature of 15 C they are this much slower
_RAT_H = ("assumption: rat soleus fibres, loose patch, about 18 C, 20 ms prepulses: fast inactivation half "
          "at about -70 mV "
          "(J Physiol, 'Comparison between slow sodium channel inactivation in rat slow- and fast-twitch muscle'; "
          "abstract, reference notes 6.4)")
_WALLINGA_AT_15 = 2.3 ** ((15.0 - 37.0) / 10.0)
_GRID = np.linspace(-150.0, 60.0, 2101)  # mV: where the largest time constants are sought


def gate_factors(m_tau, h_tau, h_half):
    """``(f_m, f_ha, f_hb)``: the factors on Wallinga's ``(alpha_m, beta_m)``, on its ``alpha_h``
    and on its ``beta_h`` that make the largest ``tau_m`` equal ``m_tau`` and the largest
    ``tau_h`` equal ``h_tau`` (ms, at 15 C) with the ``h_inf`` midpoint at ``h_half`` (mV).
    Closed form: at the midpoint ``f_ha alpha_h = f_hb beta_h``, which fixes their ratio; the
    common scale then sets the largest time constant. Arrays allowed."""
    if all(np.ndim(x) == 0 for x in (m_tau, h_tau, h_half)):
        return _scalar_factors(float(m_tau), float(h_tau), float(h_half))
    return _gate_factors(m_tau, h_tau, h_half)


@functools.lru_cache(maxsize=64)
def _scalar_factors(m_tau: float, h_tau: float, h_half: float):
    return tuple(float(x) for x in _gate_factors(m_tau, h_tau, h_half))


def _gate_factors(m_tau, h_tau, h_half):
    m_tau, h_tau, h_half = (np.asarray(x, dtype=float) for x in (m_tau, h_tau, h_half))
    am, bm, ah, bh, _, _ = wallinga_sodium_rates(_GRID.reshape((-1,) + (1,) * h_half.ndim))
    s = _WALLINGA_AT_15
    f_m = np.max(1.0 / (s * (am + bm)), axis=0) / m_tau
    _, _, ah_half, bh_half, _, _ = wallinga_sodium_rates(h_half)
    ratio = bh_half / ah_half  # f_ha / f_hb
    f_hb = np.max(1.0 / (s * (ratio * ah + bh)), axis=0) / h_tau
    return f_m, ratio * f_hb, f_hb


def native_sodium_rates(V, f_m, f_ha, f_hb):
    """``(alpha_m, beta_m, alpha_h, beta_h)`` of :class:`NativeSodium` at 15 C, 1/ms."""
    am, bm, ah, bh, _, _ = wallinga_sodium_rates(V)
    s = _WALLINGA_AT_15
    return f_m * s * am, f_m * s * bm, f_ha * s * ah, f_hb * s * bh


class NativeSodium(Component):
    """Wallinga et al.'s muscle Na current with its fast gates at the speed measured in native
    fibres at 15 C (Collins et al. 1982; module docstring). Parameter names are those of
    :class:`~neuromuscle.components.muscle_wallinga.WallingaSodium` plus the measured largest
    time constants ``m_tau``, ``h_tau`` and the inactivation midpoint ``h_half``.
    """

    states = WallingaSodium.states
    outputs = (Output("I", "uA/cm2", "Na current", adds_to="I_ion", carries=(("Na", 1.0),)),)
    citation = f"{_COLLINS}; voltage dependence and slow inactivation: {cite('wallinga1999')}"
    precomputed = ("phi", "phi_g", "f_m", "f_ha", "f_hb")

    @classmethod
    def default_parameters(cls):
        w = WallingaSodium.default_parameters()
        return {
            "g": w["g"], "q10": w["q10"], "q10_g": w["q10_g"], "celsius_ref": w["celsius_ref"],
            "celsius_ref_rates": Parameter(15.0, "degC", _COLLINS, "Temperature at which m_tau and h_tau apply",
                                           (0.0, 50.0)),
            "m_tau": Parameter(0.43, "ms", _COLLINS, "Largest activation time constant", (1e-3, 100.0)),
            "h_tau": Parameter(0.925, "ms", _COLLINS, "Largest fast-inactivation time constant", (1e-2, 100.0)),
            "h_half": Parameter(-70.0, "mV", _RAT_H, "Midpoint of steady-state fast inactivation", (-150.0, 0.0)),
        }

    @classmethod
    def default_inputs(cls):
        return WallingaSodium.default_inputs()

    @staticmethod
    def precompute(celsius, q10, q10_g, celsius_ref, celsius_ref_rates, m_tau, h_tau, h_half):
        f_m, f_ha, f_hb = gate_factors(m_tau, h_tau, h_half)
        return (q10_factor(q10, celsius, celsius_ref_rates), q10_factor(q10_g, celsius, celsius_ref),
                f_m, f_ha, f_hb)

    @staticmethod
    def equations(V, E, dV_surface, m, h, S, g, phi, phi_g, f_m, f_ha, f_hb):
        am, bm, ah, bh, s_inf, tau_s = wallinga_sodium_rates(V - dV_surface)
        k = phi * _WALLINGA_AT_15
        current = phi_g * g * m * m * m * h * S * (V - E)
        return (current, k * f_m * (am * (1.0 - m) - bm * m), k * (f_ha * ah * (1.0 - h) - f_hb * bh * h),
                (s_inf - S) / tau_s)

    @staticmethod
    def steady_state(V, dV_surface, f_ha, f_hb):
        am, bm, ah, bh, s_inf, _ = wallinga_sodium_rates(V - dV_surface)
        return am / (am + bm), f_ha * ah / (f_ha * ah + f_hb * bh), s_inf
