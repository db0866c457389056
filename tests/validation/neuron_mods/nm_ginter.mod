: Internodal (MYSA, FLUT, STIN) channels of the Gaines et al. (2018) human motor axon: slow K,
: fast K, HCN and leak, written for the neuromuscle cross-check from the published equations.

NEURON {
    SUFFIX nmginter
    NONSPECIFIC_CURRENT i
    RANGE gks, gkf, gq, gl, ek, el, eq, vq, shift
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gks = 0.002581 (mho/cm2)
    gkf = 0.02568 (mho/cm2)
    gq = 0.002232 (mho/cm2)
    gl = 0.0002 (mho/cm2)
    ek = -90 (mV)
    el = -90 (mV)
    eq = -54.9 (mV)
    vq = -107.3 (mV)
    shift = 0 (mV)
}

ASSIGNED {
    v (mV)
    celsius (degC)
    i (mA/cm2)
    phik
}

STATE { s n q }

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gks*s*(v - ek) + gkf*n*n*n*n*(v - ek) + gq*q*(v - eq) + gl*(v - el)
}

INITIAL {
    phik = 3.0^((celsius - 36)/10)
    s = asl(v - shift)/(asl(v - shift) + bsl(v - shift))
    n = an(v - shift)/(an(v - shift) + bn(v - shift))
    q = aq(v - shift)/(aq(v - shift) + bq(v - shift))
}

DERIVATIVE states {
    LOCAL u
    u = v - shift
    s' = phik*(asl(u)*(1 - s) - bsl(u)*s)
    n' = phik*(an(u)*(1 - n) - bn(u)*n)
    q' = phik*(aq(u)*(1 - q) - bq(u)*q)
}

FUNCTION lin(x, c) {
    if (fabs(x/c) < 1e-6) {
        lin = c*(1 + x/c/2)
    } else {
        lin = x/(1 - exp(-x/c))
    }
}

FUNCTION asl(u (mV)) { asl = 0.3/(1 + exp(-(u + 80 - 27)/5)) }
FUNCTION bsl(u (mV)) { bsl = 0.03/(1 + exp(-(u + 80 + 10)/1)) }
FUNCTION an(u (mV)) { an = 0.0462*lin(u + 83.2, 1.1) }
FUNCTION bn(u (mV)) { bn = 0.0824*lin(-(u + 66), 10.5) }
FUNCTION aq(u (mV)) { aq = 0.00522*exp(-(u - vq)/12.2) }
FUNCTION bq(u (mV)) { bq = 0.00522*exp((u - vq)/12.2) }
