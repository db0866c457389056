: Node of Ranvier of the Gaines et al. (2018) human motor axon (MRG 2002 nodal channels plus
: fast K), written for the neuromuscle cross-check from the published equations; rates in
: absolute mV, same forms and Q10s as neuromuscle.components.mrg. Densities, reversals and the
: alpha_m offset amB (Gaines 20.4 mV, MRG 2002 21.4 mV) are RANGE variables set from Python so
: both sides read one parameter set.

NEURON {
    SUFFIX nmgnode
    NONSPECIFIC_CURRENT i
    RANGE gnaf, gnap, gks, gkf, gl, ena, ek, el, shift, amB
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gnaf = 3.0 (mho/cm2)
    gnap = 0.01 (mho/cm2)
    gks = 0.08 (mho/cm2)
    gkf = 0.02568 (mho/cm2)
    gl = 0.007 (mho/cm2)
    ena = 50 (mV)
    ek = -90 (mV)
    el = -90 (mV)
    shift = 0 (mV)
    amB = 20.4 (mV)
}

ASSIGNED {
    v (mV)
    celsius (degC)
    i (mA/cm2)
    phim phih phik
}

STATE { m h p s n }

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gnaf*m*m*m*h*(v - ena) + gnap*p*p*p*(v - ena) + gks*s*(v - ek) + gkf*n*n*n*n*(v - ek) + gl*(v - el)
}

INITIAL {
    phim = 2.2^((celsius - 20)/10)
    phih = 2.9^((celsius - 20)/10)
    phik = 3.0^((celsius - 36)/10)
    m = am(v - shift)/(am(v - shift) + bm(v - shift))
    h = ah(v - shift)/(ah(v - shift) + bh(v - shift))
    p = ap(v - shift)/(ap(v - shift) + bp(v - shift))
    s = asl(v - shift)/(asl(v - shift) + bsl(v - shift))
    n = an(v - shift)/(an(v - shift) + bn(v - shift))
}

DERIVATIVE states {
    LOCAL u
    u = v - shift
    m' = phim*(am(u)*(1 - m) - bm(u)*m)
    h' = phih*(ah(u)*(1 - h) - bh(u)*h)
    p' = phim*(ap(u)*(1 - p) - bp(u)*p)
    s' = phik*(asl(u)*(1 - s) - bsl(u)*s)
    n' = phik*(an(u)*(1 - n) - bn(u)*n)
}

FUNCTION lin(x, c) {
    : x/(1 - exp(-x/c)), finite at x = 0
    if (fabs(x/c) < 1e-6) {
        lin = c*(1 + x/c/2)
    } else {
        lin = x/(1 - exp(-x/c))
    }
}

FUNCTION am(u (mV)) { am = 1.86*lin(u + amB, 10.3) }
FUNCTION bm(u (mV)) { bm = 0.086*lin(-(u + 25.7), 9.16) }
FUNCTION ah(u (mV)) { ah = 0.062*lin(-(u + 114), 11) }
FUNCTION bh(u (mV)) { bh = 2.3/(1 + exp(-(u + 31.8)/13.4)) }
FUNCTION ap(u (mV)) { ap = 0.01*lin(u + 27, 10.2) }
FUNCTION bp(u (mV)) { bp = 0.00025*lin(-(u + 34), 10) }
FUNCTION asl(u (mV)) { asl = 0.3/(1 + exp(-(u + 80 - 27)/5)) }
FUNCTION bsl(u (mV)) { bsl = 0.03/(1 + exp(-(u + 80 + 10)/1)) }
FUNCTION an(u (mV)) { an = 0.0462*lin(u + 83.2, 1.1) }
FUNCTION bn(u (mV)) { bn = 0.0824*lin(-(u + 66), 10.5) }
