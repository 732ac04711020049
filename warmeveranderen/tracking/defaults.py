"""The nine indicators of the programme's impact report (seed 001), with guidance from its points of attention.

`REPORT_DISTRIBUTION` holds the report's shares of schools per level (realised, in progress, started,
not started) in percent; the report gives none for indicators 7 and 8.
"""

INDICATORS = [
    (
        1,
        "Er is een AMORE-visie die is afgeklopt door een groep van belanghebbenden",
        "Een ambitieuze, motiverende, onderscheidende, relevante en echte visie, in dialoog met alle "
        "belanghebbenden ontwikkeld en door een groep van hen afgeklopt. Let op: een overtuigd 'ja' van "
        "het bestuur, gedragenheid, vertrouwen, en containerbegrippen (warm, betrokken) concreet gemaakt.",
    ),
    (
        2,
        "Het leiderschap is overtuigd (gepersonaliseerd leren, teamstructuur en gedeeld leiderschap)",
        "Gedreven leiders met een uitgesproken kijk op de school van de toekomst; de leider is de "
        "referentiefiguur van de verandering en maakt het leidinggevend team deelgenoot. Bespreek hoe ver "
        "ze het leiderschap willen delen.",
    ),
    (
        3,
        "Er is een ontwerp van teamstructuur met leergemeenschappen",
        "Een gedragen visie en een leider die de structuurverandering vastpakt maken het verschil. "
        "Onderscheid principiële en persoonlijke bezwaren; een sense of urgency helpt.",
    ),
    (
        4,
        "De teamstructuur wordt of is uitgerold",
        "Het leiderschap engageert zich zichtbaar om het ontwerp als principieel akkoord uit te rollen. "
        "Eerste kleine, positieve stappen geven energie; vier de successen.",
    ),
    (
        5,
        "Er zijn symbolen en rituelen die de warme school vertegenwoordigen",
        "Symbolen, rituelen en verhalen versterken de warme school; ze worden bewust binnengebracht, "
        "met een rol voor de leider en voor medewerkers met talent hiervoor.",
    ),
    (
        6,
        "De school heeft de sleutelcompetenties in kaart gebracht en initiatieven genomen om ze te professionaliseren",
        "Professionele ontwikkeling synchroon met en passend bij de verandering; teams krijgen tijd om de "
        "sleutelcompetenties te definiëren (bv. met CEGO of Tenz).",
    ),
    (
        7,
        "Er zijn aantoonbare initiatieven in de klaspraktijk om welbevinden, betrokkenheid en goed in je vel te bevorderen",
        "Kijk naar de warme klas, niet alleen naar de warme school: scholen die welbevinden en "
        "betrokkenheid systematisch opvolgen, nemen zichtbaar meer initiatieven.",
    ),
    (
        8,
        "Er wordt werk gemaakt van gepersonaliseerde leertrajecten voor leerlingen",
        "Teams die voor een leergemeenschap werken, bouwen de relatie met de individuele leerling op; "
        "kwaliteitsvolle systemen maken gepersonaliseerde trajecten op de klasvloer mogelijk.",
    ),
    (
        9,
        "Er is een vliegwiel dat het traject faciliteert met cadans en belanghebbenden",
        "Discipline: een vaste cadans waar niet van wordt afgeweken, een vliegwiel dat consequent vergadert, "
        "een duidelijk en gecommuniceerd doel per sprint, afstemming met het besturend team bij de start "
        "van de sprint en net voor het forum.",
    ),
]

REPORT_DISTRIBUTION = {
    1: (72, 19, 2, 8),
    2: (49, 30, 9, 11),
    3: (32, 30, 23, 15),
    4: (28, 28, 23, 21),
    5: (72, 6, 4, 19),
    6: (45, 38, 4, 13),
    9: (34, 38, 9, 19),
}

# The stored default labels (Dutch, as the coordinator edits them); the msgids of domain.INDICATOR_LEVELS.
DEFAULT_LEVEL_LABELS = {
    "realised": "Gerealiseerd",
    "in_progress": "In uitvoering",
    "started": "Opgestart",
    "not_started": "Nog niet gestart",
}
