"""The publications parameters and models cite: one registry, key -> reference.

A parameter's source is then a key plus where in the paper the value is (a table, an
equation, a page): ``cite("hodgkin1952", "Table 3 (g_Na)")`` gives
``"Hodgkin & Huxley 1952, J Physiol 117:500, Table 3 (g_Na)"``, and the full reference is
written out once, here. The keys match ``docs/references.bib`` where the documentation
cites the same paper.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Reference", "REFERENCES", "NON_PUBLICATION_FORMS", "cite", "reference", "source_problem"]


@dataclass(frozen=True)
class Reference:
    """One publication."""

    #: Authors and year with the journal, volume and first page, as sources quote it.
    short: str
    #: The full reference.
    full: str


REFERENCES: Mapping[str, Reference] = types.MappingProxyType({
    "hodgkin1952": Reference(
        "Hodgkin & Huxley 1952, J Physiol 117:500",
        "Hodgkin AL, Huxley AF (1952) A quantitative description of membrane current and its application to "
        "conduction and excitation in nerve. J Physiol 117:500-544"),
    "hodgkin1964": Reference(
        "Hodgkin 1964, The Conduction of the Nervous Impulse",
        "Hodgkin AL (1964) The Conduction of the Nervous Impulse. Liverpool University Press"),
    "adrian1973": Reference(
        "Adrian & Peachey 1973 J Physiol 235:103",
        "Adrian RH, Peachey LD (1973) Reconstruction of the action potential of frog sartorius muscle. J "
        "Physiol 235:103-131"),
    "aickin1989": Reference(
        "Aickin, Betz & Harris 1989 J Physiol 411:437",
        "Aickin CC, Betz WJ, Harris GL (1989) Intracellular chloride and the mechanism for its accumulation "
        "in rat lumbrical muscle. J Physiol 411:437-455"),
    "almers1984": Reference(
        "Almers, Roberts & Ruff 1984 J Physiol 347:751",
        "Almers W, Roberts WM, Ruff RL (1984) Voltage clamp of rat and human skeletal muscle: measurements "
        "with an improved loose-patch technique. J Physiol 347:751-768"),
    "ariyasu1987": Reference(
        "Ariyasu, Nichol & Ellisman 1987 J Neurocytol 16:239",
        "Ariyasu RG, Nichol JA, Ellisman MH (1987) The distribution of (Na+ + K+)ATPase is continuous along "
        "the axolemma of unensheathed axons from spinal roots of 'dystrophic' mice. J Neurocytol 16:239-248"),
    "avila2000": Reference(
        "Avila & Dirksen 2000 J Gen Physiol 115:467",
        "Avila & Dirksen (2000) J Gen Physiol 115:467"),
    "baylor1998": Reference(
        "Baylor & Hollingworth 1998 J Gen Physiol 112:297",
        "Baylor SM, Hollingworth S (1998) Model of sarcomeric Ca2+ movements, including ATP Ca2+ binding and "
        "diffusion, during activation of frog skeletal muscle. J Gen Physiol 112:297-316"),
    "baylor2003": Reference(
        "Baylor & Hollingworth 2003 J Physiol 551:125",
        "Baylor SM, Hollingworth S (2003) Sarcoplasmic reticulum calcium release compared in slow-twitch and "
        "fast-twitch fibres of mouse muscle. J Physiol 551:125-138"),
    "baylor2007": Reference(
        "Baylor & Hollingworth 2007 J Gen Physiol 130:283",
        "Baylor SM, Hollingworth S (2007) Simulation of Ca2+ movements within the sarcomere of fast-twitch "
        "mouse fibers stimulated by action potentials. J Gen Physiol 130:283-302"),
    "bennett1984": Reference(
        "Bennett 1984 Am J Physiol 247:R217",
        "Bennett AF (1984) Thermal dependence of muscle function. Am J Physiol 247:R217-R229"),
    "borst1998": Reference(
        "Borst & Sakmann 1998 J Physiol 506:143",
        "Borst JGG, Sakmann B (1998) Calcium current during a single action potential in a large presynaptic "
        "terminal of the rat brainstem. J Physiol 506:143-157"),
    "bostock1991": Reference(
        "Bostock, Baker & Reid 1991 J Physiol 441:537",
        "Bostock H, Baker M, Reid G (1991) Changes in excitability of human motor axons underlying "
        "post-ischaemic fasciculations: evidence for two stable states. J Physiol 441:537-557"),
    "campbell2018": Reference(
        "Campbell, Janssen & Campbell 2018 Biophys J 115:543",
        "Campbell KS, Janssen PML, Campbell SG (2018) Force-dependent recruitment from the myosin off state "
        "contributes to length-dependent activation. Biophys J 115:543-553"),
    "chance1986": Reference(
        "Chance et al. 1986 PNAS 83:9458",
        "Chance B, Leigh JS Jr, Kent J, McCully K, Nioka S, Clark BJ, Maris JM, Graham T (1986) Multiple "
        "controls of oxidative metabolism in living tissues as studied by phosphorus magnetic resonance. Proc"
        " Natl Acad Sci USA 83:9458-9462"),
    "collins1982": Reference(
        "Collins, Rojas & Suarez-Isla 1982 J Physiol 324:297",
        "Collins CA, Rojas E, Suarez-Isla BA (1982) J Physiol 324:297"),
    "conley2000": Reference(
        "Conley, Jubrias & Esselman 2000 J Physiol 526:203",
        "Conley KE, Jubrias SA, Esselman PC (2000) Oxidative capacity and ageing in human muscle. J Physiol "
        "526:203-210"),
    "courtemanche1998": Reference(
        "Courtemanche et al. 1998 Am J Physiol 275:H301",
        "Courtemanche M, Ramirez RJ, Nattel S (1998) Ionic mechanisms underlying human atrial action "
        "potential properties: insights from a mathematical model. Am J Physiol 275:H301-H321"),
    "dolapchieva1995": Reference(
        "Dolapchieva 1995 Eur J Morphol 33:247",
        "Dolapchieva S (1995) Eur J Morphol 33:247-255 (ouabain-sensitive K+-pNPPase cytochemistry of "
        "rat sciatic nerve fibres; abstract read)"),
    "dodge1967": Reference(
        "Dodge & Rahamimoff 1967 J Physiol 193:419",
        "Dodge FA Jr, Rahamimoff R (1967) Co-operative action of calcium ions in transmitter release at the "
        "neuromuscular junction. J Physiol 193:419-432"),
    "dreyer1976": Reference(
        "Dreyer, Walther & Peper 1976 Pflugers Arch 366:1",
        "Dreyer F, Walther C, Peper K (1976) Pflugers Arch 366:1"),
    "dutka2004": Reference(
        "Dutka & Lamb 2004 J Physiol 560:451",
        "Dutka TL, Lamb GD (2004) Effect of low cytoplasmic [ATP] on excitation-contraction coupling in "
        "fast-twitch muscle fibres of the rat. J Physiol 560:451-468"),
    "ferenczi1984": Reference(
        "Ferenczi, Goldman & Simmons 1984 J Physiol 350:519",
        "Ferenczi MA, Goldman YE, Simmons RM (1984) The dependence of force and shortening velocity on "
        "substrate concentration in skinned muscle fibres from Rana temporaria. J Physiol 350:519-543"),
    "frankenhaeuser1957": Reference(
        "Frankenhaeuser & Hodgkin 1957 J Physiol 137:218",
        "Frankenhaeuser B, Hodgkin AL (1957) The action of calcium on the electrical properties of squid "
        "axons. J Physiol 137:218-244"),
    "fryer1996": Reference(
        "Fryer & Stephenson 1996 J Physiol 493:357",
        "Fryer MW, Stephenson DG (1996) Total and sarcoplasmic reticulum calcium contents of skinned fibres "
        "from rat skeletal muscle. J Physiol 493:357-370"),
    "gaines2018": Reference(
        "Gaines, Finn, Slopsema, Heyboer & Polasek 2018 J Comput Neurosci 45:29",
        "Gaines JL, Finn KE, Slopsema JP, Heyboer LA, Polasek KH (2018) A model of motor and sensory axon "
        "activation in the median nerve using surface electrical stimulation. J Comput Neurosci 45:29-43"),
    "goldman1943": Reference(
        "Goldman 1943 J Gen Physiol 27:37",
        "Goldman DE (1943) Potential, impedance, and rectification in membranes. J Gen Physiol 27:37-60"),
    "hennings2005": Reference(
        "Hennings, Arendt-Nielsen & Andersen 2005 Clin Neurophysiol 116:597",
        "Hennings K, Arendt-Nielsen L, Andersen OK (2005) Orderly activation of human motor neurons using "
        "electrical ramp prepulses. Clin Neurophysiol 116:597-604"),
    "hess1984": Reference(
        "Hess & Tsien 1984 Nature 309:453",
        "Hess P, Tsien RW (1984) Mechanism of ion permeation through calcium channels. Nature 309:453-456"),
    "hille1975": Reference(
        "Hille, Woodhull & Shapiro 1975 Phil Trans R Soc B 270:301",
        "Hille B, Woodhull AM, Shapiro BI (1975) Negative surface charge near sodium channels of nerve: "
        "divalent ions, monovalent ions, and pH. Philos Trans R Soc Lond B 270:301-318"),
    "hille2001": Reference(
        "Hille 2001, Ion Channels of Excitable Membranes",
        "Hille B (2001) Ion Channels of Excitable Membranes, 3rd edn. Sinauer, Sunderland MA"),
    "hodgkin1949": Reference(
        "Hodgkin & Katz 1949 J Physiol 108:37",
        "Hodgkin AL, Katz B (1949) The effect of sodium ions on the electrical activity of the giant axon of "
        "the squid. J Physiol 108:37-77"),
    "jurkatrott2009": Reference(
        "Jurkat-Rott et al. 2009 PNAS 106:4036",
        "Jurkat-Rott K, Weber MA, Fauler M, Guo XH, Holzherr BD, Paczulla A, Nordsborg N, Joechle W, "
        "Lehmann-Horn F (2009) K+-dependent paradoxical membrane depolarization and Na+ overload, major and "
        "reversible contributors to weakness by ion channel leaks. Proc Natl Acad Sci USA 106:4036-4041"),
    "kiernan2004": Reference(
        "Kiernan, Lin & Burke 2004 J Physiol 558:341",
        "Kiernan MC, Lin CS-Y, Burke D (2004) Differences in activity-dependent hyperpolarization in human "
        "sensory and motor axons. J Physiol 558:341-349"),
    "kim2021": Reference(
        "Kim et al. 2021 NMR Biomed 34:e4435",
        "Kim K, Gu Y, Wang CY, Clifford B, Huang S, Liang ZP, Yu X (2021) Quantification of creatine kinase "
        "reaction rate in mouse hindlimb using phosphorus-31 magnetic resonance spectroscopic fingerprinting."
        " NMR Biomed 34:e4435"),
    "kuwabara2001": Reference(
        "Kuwabara et al. 2001 J Physiol 531:265",
        "Kuwabara S, Lin CS-Y, Mogyoros I, Cappelen-Smith C, Burke D (2001) J Physiol 531:265-275 "
        "(maximal voluntary contraction and imposed hyperpolarising current in human motor axons; "
        "abstract read)"),
    "kushmerick1992": Reference(
        "Kushmerick, Moerland & Wiseman 1992 PNAS 89:7521",
        "Kushmerick MJ, Moerland TS, Wiseman RW (1992) Mammalian skeletal muscle fibers distinguished by "
        "contents of phosphocreatine, ATP, and Pi. Proc Natl Acad Sci USA 89:7521-7525"),
    "kuo1993": Reference(
        "Kuo & Hess 1993 J Physiol 466:683",
        "Kuo & Hess (1993) J Physiol 466:683"),
    "lansman1986": Reference(
        "Lansman, Hess & Tsien 1986 J Gen Physiol 88:321",
        "Lansman JB, Hess P, Tsien RW (1986) Blockade of current through single calcium channels by Cd2+, "
        "Mg2+, and Ca2+. Voltage and concentration dependence of calcium entry into the pore. J Gen Physiol "
        "88:321-347"),
    "magleby1972": Reference(
        "Magleby & Stevens 1972 J Physiol 223:173",
        "Magleby KL, Stevens CF (1972) A quantitative description of end-plate currents. J Physiol "
        "223:173-197"),
    "manno2013": Reference(
        "Manno et al. 2013 J Physiol 591:423",
        "Manno C, Sztretye M, Figueroa L, Allen PD, Rios E (2013) Dynamic measurement of the calcium "
        "buffering properties of the sarcoplasmic reticulum in mouse skeletal muscle. J Physiol 591:423-442"),
    "mccaig1984": Reference(
        "McCaig & Leader 1984 J Membr Biol 81:9",
        "McCaig D, Leader JP (1984) Intracellular chloride activity in the extensor digitorum longus (EDL) "
        "muscle of the rat. J Membr Biol 81:9-17"),
    "mcintyre2002": Reference(
        "McIntyre, Richardson & Grill 2002 J Neurophysiol 87:995",
        "McIntyre CC, Richardson AG, Grill WM (2002) Modeling the excitability of mammalian nerve fibers: "
        "influence of afterpotentials on the recovery cycle. J Neurophysiol 87:995-1006"),
    "mclaughlin1981": Reference(
        "McLaughlin et al. 1981 J Gen Physiol 77:445",
        "McLaughlin S, Mulrine N, Gresalfi T, Vaio G, McLaughlin A (1981) Adsorption of divalent cations to "
        "bilayer membranes containing phosphatidylserine. J Gen Physiol 77:445-473"),
    "mogyoros2000": Reference(
        "Mogyoros, Bostock & Burke 2000 Muscle Nerve 23:310",
        "Mogyoros I, Bostock H, Burke D (2000) Mechanisms of paresthesias arising from healthy axons. "
        "Muscle Nerve 23:310-320"),
    "nernst1889": Reference(
        "Nernst 1889 Z Phys Chem 4:129",
        "Nernst W (1889) Die elektromotorische Wirksamkeit der Ionen. Z Phys Chem 4:129-181"),
    "palade1977": Reference(
        "Palade & Barchi 1977 J Gen Physiol 69:325",
        "Palade PT, Barchi RL (1977) Characteristics of the chloride conductance in muscle fibers of the rat "
        "diaphragm. J Gen Physiol 69:325-342"),
    "paton1967": Reference(
        "Paton & Waud 1967 J Physiol 191:59",
        "Paton WDM, Waud DR (1967) The margin of safety of neuromuscular transmission. J Physiol 191:59-90"),
    "ranatunga1984": Reference(
        "Ranatunga 1984 J Physiol 351:517",
        "Ranatunga KW (1984) The force-velocity relation of rat fast- and slow-twitch muscles examined at "
        "different temperatures. J Physiol 351:517-529"),
    "rattay2012": Reference(
        "Rattay, Paredes & Leao 2012 Neuroscience 214:1",
        "Rattay F, Paredes LP, Leao RN (2012) Strength-duration relationship for intra- versus extracellular "
        "stimulation with microelectrodes. Neuroscience 214:1-13"),
    "razumova1999": Reference(
        "Razumova, Bukatina & Campbell 1999 J Appl Physiol 87:1861",
        "Razumova MV, Bukatina AE, Campbell KB (1999) Stiffness-distortion sarcomere model for muscle "
        "simulation. J Appl Physiol 87:1861-1876"),
    "rice2008": Reference(
        "Rice et al. 2008 Biophys J 95:2368",
        "Rice JJ, Wang F, Bers DM, de Tombe PP (2008) Approximate model of cooperative activation and "
        "crossbridge cycling in cardiac muscle using ordinary differential equations. Biophys J 95:2368-2390"),
    "royer2010": Reference(
        "Royer et al. 2010 J Gen Physiol 136:325",
        "Royer L, Sztretye M, Manno C, Pouvreau S, Zhou J, Knollmann BC, Protasi F, Allen PD, Rios E (2010) "
        "Paradoxical buffering of calcium by calsequestrin demonstrated for the calcium store of skeletal "
        "muscle. J Gen Physiol 136:325-338"),
    "schwarz1995": Reference(
        "Schwarz, Reid & Bostock 1995 Pflugers Arch 430:283",
        "Schwarz JR, Reid G, Bostock H (1995) Action potentials and membrane currents in the human node of "
        "Ranvier. Pflugers Arch 430:283-292"),
    "senneff2021": Reference(
        "Senneff & Lowery 2021 J Theor Biol 519:110656",
        "Senneff S, Lowery MM (2021) Effects of extracellular potassium on calcium handling and force "
        "generation in a model of excitation-contraction coupling in skeletal muscle. J Theor Biol 519:110656"),
    "shannon2004": Reference(
        "Shannon et al. 2004 Biophys J 87:3351",
        "Shannon TR, Wang F, Puglisi J, Weber C, Bers DM (2004) A mathematical treatment of integrated Ca "
        "dynamics within the ventricular myocyte. Biophys J 87:3351-3371"),
    "shorten2007": Reference(
        "Shorten et al. 2007 J Muscle Res Cell Motil 28:293",
        "Shorten PR, O'Callaghan P, Davidson JB, Soboleva TK (2007) A mathematical model of fatigue in "
        "skeletal muscle force contraction. J Muscle Res Cell Motil 28:293-313"),
    "simon1985": Reference(
        "Simon & Beam 1985 J Gen Physiol 85:1",
        "Simon BJ, Beam KG (1985) Slow charge movement in mammalian skeletal muscle. J Gen Physiol 85:1-19"),
    "standen1978": Reference(
        "Standen & Stanfield 1978 J Physiol 280:169",
        "Standen NB, Stanfield PR (1978) A potential- and time-dependent blockade of inward rectification in "
        "frog skeletal muscle fibres by barium and strontium ions. J Physiol 280:169-191"),
    "stephenson1981": Reference(
        "Stephenson & Williams 1981 J Physiol 317:281",
        "Stephenson DG, Williams DA (1981) Calcium-activated force responses in fast- and slow-twitch skinned"
        " muscle fibres of the rat at different temperatures. J Physiol 317:281-302"),
    "stern1997": Reference(
        "Stern, Pizarro & Rios 1997 J Gen Physiol 110:415",
        "Stern MD, Pizarro G, Rios E (1997) Local control model of excitation-contraction coupling in "
        "skeletal muscle. J Gen Physiol 110:415-440"),
    "teague1992": Reference(
        "Teague & Dobson 1992 J Biol Chem 267:14084",
        "Teague WE Jr, Dobson GP (1992) Effect of temperature on the creatine kinase equilibrium. J Biol Chem"
        " 267:14084-14093"),
    "ursu2004": Reference(
        "Ursu et al. 2004 J Physiol 560:741",
        "Ursu et al. (2004) J Physiol 560:741"),
    "walter1999": Reference(
        "Walter et al. 1999 J Physiol 519:901",
        "Walter G, Vandenborne K, Elliott M, Leigh JS (1999) In vivo ATP synthesis rates in single human "
        "muscles during high intensity exercise. J Physiol 519:901-910"),
    "wallinga1985": Reference(
        "Wallinga et al. 1985 Electroencephalogr Clin Neurophysiol 60:539",
        "Wallinga W et al. (1985) Electroencephalogr Clin Neurophysiol 60:539"),
    "wallinga1999": Reference(
        "Wallinga et al. 1999 Eur Biophys J 28:317",
        "Wallinga W, Meijer SL, Alberink MJ, Vliek M, Wienk ED, Ypey DL (1999) Modelling action potentials "
        "and membrane currents of mammalian skeletal muscle fibres in coherence with potassium concentration "
        "changes in the T-tubular system. Eur Biophys J 28:317-329"),
    "wesselink1999": Reference(
        "Wesselink, Holsheimer & Boom 1999 Med Biol Eng Comput 37:228",
        "Wesselink WA, Holsheimer J, Boom HBK (1999) A model of the electrical behaviour of myelinated "
        "sensory nerve fibres based on human data. Med Biol Eng Comput 37:228-235"),
    "ziman2010": Reference(
        "Ziman et al. 2010 Biophys J 99:2705",
        "Ziman AP, Ward CW, Rodney GG, Lederer WJ, Bloch RJ (2010) Quantitative measurement of Ca2+ in the "
        "sarcoplasmic reticulum lumen of mammalian skeletal muscle. Biophys J 99:2705-2714"),
})


def reference(key: str) -> Reference:
    """The :class:`Reference` registered under ``key``."""
    try:
        return REFERENCES[key]
    except KeyError:
        raise KeyError(f"no reference {key!r}; registered: {', '.join(sorted(REFERENCES))}") from None


def cite(key: str, where: str | None = None) -> str:
    """The short citation of ``key``, followed by ``where`` in it (a table, an equation).

    >>> cite("hodgkin1952", "Table 3 (g_Na)")
    'Hodgkin & Huxley 1952, J Physiol 117:500, Table 3 (g_Na)'
    """
    short = reference(key).short
    return f"{short}, {where}" if where else short


#: The only sources that do not start with a registered publication: each names what the
#: value is instead ("fitted: <to what, by which script>", ...). Anything else must begin with
#: the short citation of a :data:`REFERENCES` entry (use :func:`cite`).
NON_PUBLICATION_FORMS: Mapping[str, str] = types.MappingProxyType({
    "fitted: ": "a constant no source states, fitted to the measurements named (and the script that fits it)",
    "derived: ": "computed from other values, named (e.g. a reversal potential from concentrations)",
    "assumption: ": "a stated modelling choice and why it is made",
    "input: ": "a condition the user sets (electrolytes, temperature, stimulus), with its default",
    "definition: ": "fixed by what the quantity is (a valence, a stoichiometry)",
})


def source_problem(source: str) -> str | None:
    """Why ``source`` is not an accepted parameter source, or ``None`` if it is.

    Accepted: the short citation of a registered reference at the start (as :func:`cite`
    writes it), or one of the :data:`NON_PUBLICATION_FORMS` with some text after it.

    >>> source_problem(cite("hodgkin1952", "Table 3"))
    >>> source_problem("Hodgkin and Huxley (1952)") is None
    False
    """
    if not isinstance(source, str) or not source.strip():
        return "is empty"
    if any(source.startswith(ref.short) for ref in REFERENCES.values()):
        return None
    for form in NON_PUBLICATION_FORMS:
        if source.startswith(form):
            return None if source[len(form):].strip() else f"says {form.strip()!r} but not what"
    return "starts neither with a registered citation nor with one of " + ", ".join(map(repr, NON_PUBLICATION_FORMS))
