"""The programme's three survey templates as they start (seed 003 "Het meten van de indicatoren", seed 002):
a written survey of the staff and of the parents, and the pupils' own view in plain, short words.

Each question: (kind, Dutch, English, theme, Dutch choices, English choices). The coordinator edits
them in the app; these are only the first version.
"""

from warmeveranderen.domain import ADDRESSED_THEMES

# What a question is about; basket items carry the same codes (suggestions from a falling question).
THEMES = ADDRESSED_THEMES

TEMPLATES = {
    "staff": (
        "Bevraging van het personeel",
        "Deze bevraging is anoniem: niemand kan zien wat jij antwoordt. Ze duurt ongeveer vijf minuten. "
        "Kruis aan wat voor jou het meest klopt.",
        [
            ("likert", "Ik voel me goed op mijn werk.", "I feel good at work.", "wellbeing", "", ""),
            ("likert", "Mijn werkdruk is haalbaar.", "My workload is manageable.", "workload", "", ""),
            ("likert", "In ons team helpen we elkaar.", "In our team we help each other.", "climate", "", ""),
            ("likert", "Ik voel me gehoord op school.", "I feel heard at school.", "climate", "", ""),
            ("likert", "Het vliegwiel brengt de school vooruit.", "The flywheel moves the school forward.",
             "flywheel", "", ""),
            ("single", "Hoe vaak hoor je over het werk van het vliegwiel?",
             "How often do you hear about the flywheel's work?", "flywheel",
             "Elke week\nElke maand\nZelden\nNooit", "Every week\nEvery month\nRarely\nNever"),
            ("open", "Wat zou onze school warmer maken?", "What would make our school warmer?", "climate", "", ""),
        ],
    ),
    "parents": (
        "Bevraging van de ouders",
        "Deze bevraging is anoniem: de school ziet niet wie wat antwoordt. Ze duurt ongeveer drie minuten.",
        [
            ("likert", "Ik ben tevreden over de school van mijn kind.", "I am satisfied with my child's school.",
             "satisfaction", "", ""),
            ("likert", "Ik voel me welkom op school.", "I feel welcome at the school.", "welcome", "", ""),
            ("likert", "Mijn kind gaat graag naar school.", "My child likes going to school.", "wellbeing", "", ""),
            ("likert", "De school betrekt mij bij wat ze doet.", "The school involves me in what it does.",
             "involvement", "", ""),
            ("multiple", "Hoe hoor je graag van de school?", "How would you like to hear from the school?",
             "involvement", "E-mail of app\nEen gesprek aan de schoolpoort\nEen brief\nEen ouderavond",
             "Email or app\nA talk at the school gate\nA letter\nA parents' evening"),
            ("open", "Wat wil je de school nog zeggen?", "What else would you like to tell the school?",
             "satisfaction", "", ""),
        ],
    ),
    "pupils": (
        "Wat vind ik van mijn school?",
        "Niemand weet wat jij antwoordt. Kies wat het best past.",
        [
            ("likert", "Ik voel me goed op school.", "I feel good at school.", "wellbeing", "", ""),
            ("likert", "Ik leer hier veel.", "I learn a lot here.", "involvement", "", ""),
            ("likert", "Mijn juf of meester luistert naar mij.", "My teacher listens to me.", "climate", "", ""),
            ("likert", "Ik heb vrienden op school.", "I have friends at school.", "wellbeing", "", ""),
            ("likert", "Ik mag mee beslissen over dingen op school.", "I get a say in things at school.",
             "involvement", "", ""),
            ("open", "Wat is het leukste aan je school?", "What is the best thing about your school?",
             "wellbeing", "", ""),
        ],
    ),
}
