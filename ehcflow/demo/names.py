"""Word lists for the demo council. Every person and place is invented.

Children's and staff surnames are made-up words ("Quibthwaite", "Testerby") so nobody can mistake a
demo record for a real child; first names are common ones. School names use invented place names.
"""

BOY_NAMES = [
    "Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Muhammad", "Jack", "Charlie", "Oscar", "Jacob",
    "Henry", "Thomas", "Freddie", "Alfie", "Theo", "William", "Theodore", "Archie", "Joshua", "Alexander",
    "James", "Isaac", "Edward", "Lucas", "Tommy", "Finley", "Max", "Logan", "Ethan", "Mohammed", "Teddy",
    "Benjamin", "Arlo", "Joseph", "Sebastian", "Harrison", "Elijah", "Adam", "Daniel", "Samuel", "Louie",
    "Mason", "Reuben", "Albie", "Rory", "Jude", "Hugo", "Dylan", "Riley", "Zachary", "Toby", "Jayden",
    "Kai", "Ryan", "Callum", "Liam", "Kian", "Ibrahim", "Aaron", "Ali", "Ronnie", "Tyler", "Owen", "Caleb",
]

GIRL_NAMES = [
    "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow", "Rosie",
    "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella", "Evelyn",
    "Phoebe", "Sofia", "Evie", "Charlotte", "Harper", "Millie", "Matilda", "Maya", "Sophie", "Alice",
    "Emilia", "Isabelle", "Ruby", "Luna", "Maisie", "Aria", "Penelope", "Mila", "Bonnie", "Eva", "Hallie",
    "Aurora", "Ellie", "Layla", "Zara", "Amira", "Hannah", "Jessica", "Chloe", "Megan", "Lucy", "Holly",
    "Erin", "Niamh", "Leah", "Aisha", "Fatima", "Maryam", "Esme", "Thea", "Nancy", "Iris", "Orla",
]

ADULT_FIRST_NAMES = [
    "Sarah", "Claire", "Emma", "Rachel", "Nicola", "Helen", "Joanne", "Lisa", "Michelle", "Laura", "Kate",
    "Rebecca", "Amanda", "Victoria", "Louise", "Gemma", "Kelly", "Natalie", "Samantha", "Jennifer", "Zoe",
    "Hayley", "Charlotte", "Amy", "Lauren", "Stacey", "Nadia", "Priya", "Ayesha", "Shabana", "Grace",
    "David", "Paul", "Mark", "Andrew", "Richard", "Stephen", "Christopher", "Matthew", "Daniel", "James",
    "Craig", "Lee", "Gareth", "Simon", "Neil", "Jason", "Imran", "Tariq", "Kwame", "Tomasz", "Marek",
]

# Invented surnames: syllable pairs that are not real English surnames, plus a few obvious ones.
SURNAME_STARTS = [
    "Quib", "Farn", "Drem", "Plim", "Tarr", "Brin", "Mell", "Skel", "Vorn", "Hask", "Zenn", "Bax", "Nibb",
    "Orm", "Gub", "Wemb", "Trun", "Podd", "Kimb", "Lopp", "Murr", "Rix", "Fenk", "Yoll", "Sprock",
]
SURNAME_ENDS = [
    "erby", "ington", "sworth", "ock", "thwaite", "enshaw", "ley", "ford", "ham", "cott", "ridge",
    "wick", "son", "stone", "dale", "ett", "ows", "ling",
]
OBVIOUS_SURNAMES = ["Testerby", "Fictionson", "Samplewood", "Mockridge", "Demoley", "Placeholder", "Madeupson"]
SURNAMES = sorted({a + b for a in SURNAME_STARTS for b in SURNAME_ENDS} | set(OBVIOUS_SURNAMES))

# Invented place names for schools and colleges.
PLACE_STARTS = [
    "Oak", "Ash", "Bramble", "Cobble", "Dapple", "Elm", "Fox", "Glen", "Hazel", "Holly", "Ivy", "Juniper",
    "Kestrel", "Larch", "Maple", "Nettle", "Otter", "Pebble", "Quarry", "Rowan", "Sorrel", "Thistle",
    "Umber", "Vale", "Willow", "Yew", "Alder", "Birch", "Clover", "Heron", "Linden", "Meadow", "Moss",
    "Primrose", "Rush", "Sallow", "Teasel", "Wren", "Bracken", "Fern",
]
PLACE_ENDS = [
    "field", "ford", "brook", "wood", "hill", "dale", "ley", "mere", "bury", "combe", "gate", "well",
    "ton", "stead", "bridge", "hurst", "cote", "wick", "moor", "den", "side", "worth", "holt", "lea", "by",
]
PLACES = sorted({a + b for a in PLACE_STARTS for b in PLACE_ENDS})

NEED_TEXT = {
    "ASD": "{name} has a diagnosis of autism. {They} find changes to routine and busy, noisy spaces very hard "
           "and can become overwhelmed, particularly at transitions between lessons.",
    "SLCN": "{name} has a significant language disorder. {They} understand short instructions with visual "
            "support but find it hard to follow longer spoken language and to explain {their} ideas.",
    "SEMH": "{name} experiences high levels of anxiety and finds it hard to regulate {their} emotions. "
            "{They} have had periods of school avoidance and need trusted adults to feel safe.",
    "MLD": "{name} is working well below age-related expectations in literacy and numeracy and needs "
           "learning broken into small steps with frequent repetition.",
    "SLD": "{name} has a severe learning disability. {They} communicate using single words, signing and "
           "symbols and need adult support for most learning and self-care.",
    "PMLD": "{name} has profound and multiple learning difficulties and complex health needs. {They} "
            "communicate through facial expression and body movement.",
    "SPLD": "{name} has dyslexia. {Their} reading and spelling are well below {their} verbal ability and "
            "{they} tire quickly when writing.",
    "PD": "{name} has cerebral palsy affecting {their} mobility and fine motor skills. {They} use a "
          "walking frame and need support with recording {their} work.",
    "HI": "{name} has a moderate bilateral hearing loss and wears hearing aids. {They} miss spoken "
          "information in noisy rooms.",
    "VI": "{name} has a vision impairment and needs enlarged and high-contrast materials and mobility "
          "training to move around the site safely.",
    "MSI": "{name} has a combined hearing and vision impairment and needs an intervenor to access "
           "information and communication.",
    "DS": "{name} has Down syndrome. {They} learn best through visual approaches and need support with "
          "speech intelligibility and working memory.",
    "OTH": "{name} has a rare genetic condition affecting {their} attention, stamina and learning.",
}

AREA_FOR_NEED = {
    "ASD": "communication", "SLCN": "communication", "SEMH": "semh", "MLD": "cognition", "SLD": "cognition",
    "PMLD": "cognition", "SPLD": "cognition", "PD": "sensory_physical", "HI": "sensory_physical",
    "VI": "sensory_physical", "MSI": "sensory_physical", "DS": "cognition", "OTH": "cognition",
}

OUTCOMES = {
    "communication": [
        "By the end of the key stage, {name} will be able to ask an adult for help using words or a "
        "communication card in 4 out of 5 opportunities.",
        "Within 12 months, {name} will take part in a small-group activity for 10 minutes with an adult "
        "prompting them no more than twice.",
        "By the next review, {name} will follow a two-step spoken instruction in class without a visual prompt.",
    ],
    "cognition": [
        "By the end of the year, {name} will read and understand a short text at their level with 90% accuracy.",
        "Within 12 months, {name} will use a number line to add and subtract numbers to 20 independently.",
        "By the next review, {name} will write three connected sentences using a word bank.",
    ],
    "semh": [
        "Within 6 months, {name} will use an agreed calm-down strategy when anxious, with a prompt from an adult.",
        "By the next review, {name} will attend school for at least 90% of sessions.",
        "By the end of the year, {name} will name a trusted adult and go to them when upset.",
    ],
    "sensory_physical": [
        "By the next review, {name} will move between lessons safely with minimal adult help.",
        "Within 12 months, {name} will record their work using assistive technology for a full lesson.",
        "By the end of the key stage, {name} will manage their own equipment and tell staff when it is not working.",
    ],
}

PREPARING_FOR_ADULTHOOD = [
    "By the age of 18, {name} will travel independently to college on a familiar route.",
    "By the end of year 11, {name} will have completed a work experience placement with support.",
]

PROVISION = {
    "communication": [
        ("Speech and language therapy programme delivered in small steps, with visual supports "
         "used across the day", "Speech and language therapist", "HCPC-registered speech and language therapist",
         "1:1", "Weekly", "45 minutes"),
        ("Structured small-group social communication sessions using a recognised programme",
         "Teaching assistant trained by the SALT", "Level 3 teaching assistant", "1:4", "3 times a week",
         "30 minutes"),
        ("Visual timetable, now-and-next board and advance warning of changes to routine",
         "Class teacher", "Qualified teacher", "1:30", "Daily", "Throughout the school day"),
    ],
    "cognition": [
        ("Precision teaching of reading and spelling targets, with progress recorded",
         "Teaching assistant", "Level 3 teaching assistant", "1:1", "Daily", "15 minutes"),
        ("Small-group numeracy intervention using concrete apparatus",
         "Specialist teacher", "Qualified teacher with SpLD qualification", "1:3", "3 times a week",
         "30 minutes"),
        ("Differentiated curriculum with learning broken into small steps and overlearning",
         "Class teacher, advised by the SENCo", "Qualified teacher", "1:8", "Daily", "Throughout the school day"),
    ],
    "semh": [
        ("Check-in with a named key adult at the start and end of each day", "Key adult",
         "Trained emotional literacy support assistant", "1:1", "Twice daily", "10 minutes"),
        ("Therapeutic sessions to develop emotional regulation strategies", "School counsellor",
         "BACP-registered counsellor", "1:1", "Weekly", "50 minutes"),
        ("Access to a quiet space and an agreed exit card when overwhelmed", "All staff",
         "Trained in the child's support plan", "1:1", "As needed", "Throughout the school day"),
    ],
    "sensory_physical": [
        ("Physiotherapy programme delivered in school, with daily exercises by trained staff",
         "Physiotherapist and teaching assistant", "HCPC-registered physiotherapist", "1:1", "Daily",
         "20 minutes"),
        ("Teacher of the deaf or vision impaired advisory visits and staff training",
         "Qualified teacher of the deaf / vision impaired", "Mandatory qualification (sensory impairment)",
         "1:1", "Half-termly", "1 hour"),
        ("Assistive technology (laptop with speech-to-text) and training in its use",
         "Teaching assistant", "Trained in assistive technology", "1:1", "Daily", "Throughout the school day"),
    ],
}

PANEL_REASONS_ASSESS = [
    "Evidence shows the child may have special educational needs and that special educational provision "
    "may need to be made through an EHC plan: progress remains limited despite well-targeted SEN support.",
    "The school has used its best endeavours over two cycles of assess, plan, do, review and the child's "
    "needs exceed what can reasonably be provided from its resources.",
]
PANEL_REASONS_REFUSE = [
    "The evidence shows the child's needs can be met from the resources normally available to the school. "
    "The panel recommends a further cycle of SEN support with advice from the specialist teaching service.",
    "There is not yet evidence of a graduated response. The panel asks the school to put in place the "
    "strategies advised by the educational psychologist and review them in one term.",
]
NOT_ISSUE_REASONS = [
    "The assessment shows the child's needs can be met through SEN support with the additional advice "
    "gathered; a SEN support plan will be agreed with the school.",
]
WITHDRAWAL_REASONS = [
    "The family moved out of the county.",
    "The parent withdrew the request after agreeing a support plan with the school.",
    "The young person asked for the request to be withdrawn.",
]
EXCEPTION_EVIDENCE = {
    "A(a)": "The school was closed for the summer holiday when the educational advice was requested.",
    "A(b)": "The nursery closed for four weeks over the summer during the advice period.",
    "A(c)": "A close family bereavement; the parent asked for the assessment to be paused for a month.",
    "A(d)": "The family was abroad for six weeks visiting relatives; confirmed by the parent by e-mail.",
}
COMMENTS = [
    "We agree with the draft plan but would like more detail on the speech and language therapy hours.",
    "We ask that section F says who will deliver the support and how often.",
    "We are happy with the draft and request {setting} as the named school.",
    "We would like a meeting to discuss section B; it does not describe our child's anxiety at home.",
]
