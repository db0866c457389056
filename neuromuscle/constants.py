"""Physical constants (SI), CODATA 2018 exact or recommended values.

Source: Tiesinga et al. (2021) "CODATA recommended values of the fundamental physical
constants: 2018", Rev. Mod. Phys. 93:025010. Since the 2019 SI redefinition F and R are
exact (F = N_A e, R = N_A k).
"""

FARADAY = 96485.33212  #: C/mol (exact: N_A * e)
GAS_CONSTANT = 8.314462618  #: J/(mol K) (exact: N_A * k)
ZERO_CELSIUS = 273.15  #: K
VACUUM_PERMITTIVITY = 8.8541878128e-12  #: F/m (CODATA 2018)
ELEMENTARY_CHARGE = 1.602176634e-19  #: C (exact)
AVOGADRO = 6.02214076e23  #: 1/mol (exact)

#: Valid temperature range for the models, degrees C. Below 0 C the aqueous solutions
#: freeze; above 50 C proteins denature. Outside this range a model result would be
#: meaningless, so functions refuse it rather than extrapolate.
CELSIUS_RANGE = (0.0, 50.0)
