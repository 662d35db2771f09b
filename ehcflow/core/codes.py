"""Code sets the service records in, taken from the DfE SEN2 return so the return is a by-product.

The product keeps its own copy: nothing under ../shared is read at run time.
"""

from django.db import models


class NeedType(models.TextChoices):
    """SEN2 SENtype (Down syndrome separate from the 2025 return)."""

    ASD = "ASD", "Autistic spectrum disorder"
    SLCN = "SLCN", "Speech, language and communication needs"
    SEMH = "SEMH", "Social, emotional and mental health"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SPLD = "SPLD", "Specific learning difficulty"
    PD = "PD", "Physical disability"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty"


class AreaOfNeed(models.TextChoices):
    """The four areas of need the national template groups sections B, E and F by."""

    COMMUNICATION = "communication", "Communication and interaction"
    COGNITION = "cognition", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical"


class RequestSource(models.TextChoices):
    """SEN2 RequestSource."""

    PARENT = "1", "Parent or young person"
    SCHOOL = "2", "School or other education setting"
    HEALTH = "3", "Health care professional"
    SOCIAL_CARE = "4", "Social care professional"
    OTHER = "5", "Other"


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"


class UPNUnknown(models.TextChoices):
    """SEN2 UPNunknown: why a child has no UPN or ULN."""

    UN1 = "UN1", "Under 6 and not yet assigned a UPN"
    UN2 = "UN2", "Never attended a state-funded school in England"
    UN3 = "UN3", "Educated outside England"
    UN5 = "UN5", "Sources conflict, preventing reliable matching"
    UN8 = "UN8", "New to the council within a week of the collection end"
    UN9 = "UN9", "Young person never attended state school or FE in England"
    UN10 = "UN10", "Request ended before a UPN or ULN was known"


class Ethnicity(models.TextChoices):
    """DfE (CBDS) ethnicity codes, main and extended, as the SEN2 return accepts them."""

    WBRI = "WBRI", "White - British"
    WCOR = "WCOR", "White - Cornish"
    WENG = "WENG", "White - English"
    WNIR = "WNIR", "White - Northern Irish"
    WSCO = "WSCO", "White - Scottish"
    WWEL = "WWEL", "White - Welsh"
    WOWB = "WOWB", "Other White British"
    WIRI = "WIRI", "White - Irish"
    WIRT = "WIRT", "White - Irish Traveller"
    WOTH = "WOTH", "Any Other White Background"
    WALB = "WALB", "Albanian"
    WBOS = "WBOS", "Bosnian - Herzegovinian"
    WCRO = "WCRO", "Croatian"
    WGRE = "WGRE", "Greek/ Greek Cypriot"
    WGRK = "WGRK", "Greek"
    WGRC = "WGRC", "Greek Cypriot"
    WITA = "WITA", "Italian"
    WKOS = "WKOS", "Kosovan"
    WPOR = "WPOR", "Portuguese"
    WSER = "WSER", "Serbian"
    WTUR = "WTUR", "Turkish/ Turkish Cypriot"
    WTUK = "WTUK", "Turkish"
    WTUC = "WTUC", "Turkish Cypriot"
    WEUR = "WEUR", "White European"
    WEEU = "WEEU", "White Eastern European"
    WWEU = "WWEU", "White Western European"
    WOTW = "WOTW", "White Other"
    WROM = "WROM", "Gypsy / Roma"
    WROG = "WROG", "Gypsy"
    WROR = "WROR", "Roma"
    WROO = "WROO", "Other Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MWAP = "MWAP", "White and Pakistani"
    MWAI = "MWAI", "White and Indian"
    MWAO = "MWAO", "White and Any Other Asian Background"
    ABRI = "ABRI", "Asian - British"
    AWEL = "AWEL", "Asian - Welsh"
    MOTH = "MOTH", "Any Other Mixed Background"
    MAOE = "MAOE", "Asian and Any Other Ethnic Group"
    MABL = "MABL", "Asian and Black"
    MACH = "MACH", "Asian and Chinese"
    MBOE = "MBOE", "Black and Any Other Ethnic Group"
    MBCH = "MBCH", "Black and Chinese"
    MCOE = "MCOE", "Chinese and Any Other Ethnic Group"
    MWOE = "MWOE", "White and Any Other Ethnic Group"
    MWCH = "MWCH", "White and Chinese"
    MOTM = "MOTM", "Other Mixed Background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    AMPK = "AMPK", "Mirpuri - Pakistani"
    AKPA = "AKPA", "Kashmiri Pakistani"
    AOPK = "AOPK", "Other Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any Other Asian Background"
    AAFR = "AAFR", "African Asian"
    AKAO = "AKAO", "Kashmiri Other"
    ANEP = "ANEP", "Nepali"
    ASNL = "ASNL", "Sri Lankan Sinhalese"
    ASLT = "ASLT", "Sri Lankan Tamil"
    ASRO = "ASRO", "Sri Lankan Other"
    AOTA = "AOTA", "Other Asian"
    BBRI = "BBRI", "Black - British"
    BWEL = "BWEL", "Black - Welsh"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black - African"
    BANN = "BANN", "Black - Angolan"
    BCON = "BCON", "Black - Congolese"
    BGHA = "BGHA", "Black - Ghanaian"
    BNGN = "BNGN", "Black - Nigerian"
    BSLN = "BSLN", "Black - Sierra Leonean"
    BSOM = "BSOM", "Black - Somali"
    BSUD = "BSUD", "Black - Sudanese"
    BAOF = "BAOF", "Other Black African"
    BOTH = "BOTH", "Any Other Black Background"
    BEUR = "BEUR", "Black European"
    BNAM = "BNAM", "Black North American"
    BOTB = "BOTB", "Other Black"
    CHNE = "CHNE", "Chinese"
    CHKC = "CHKC", "Hong Kong Chinese"
    CMAL = "CMAL", "Malaysian Chinese"
    CSNG = "CSNG", "Singaporean Chinese"
    CTWN = "CTWN", "Taiwanese"
    COCH = "COCH", "Other Chinese"
    OOTH = "OOTH", "Any Other Ethnic Group"
    OAFG = "OAFG", "Afghan"
    ORAB = "ORAB", "Arab"
    OARA = "OARA", "Arab Other"
    OEGY = "OEGY", "Egyptian"
    OFIL = "OFIL", "Filipino"
    OIRN = "OIRN", "Iranian"
    OIRQ = "OIRQ", "Iraqi"
    OJPN = "OJPN", "Japanese"
    OKOR = "OKOR", "Korean"
    OKRD = "OKRD", "Kurdish"
    OLAM = "OLAM", "Latin/ South/ Central American"
    OLEB = "OLEB", "Lebanese"
    OLIB = "OLIB", "Libyan"
    OMAL = "OMAL", "Malay"
    OMRC = "OMRC", "Moroccan"
    OPOL = "OPOL", "Polynesian"
    OTHA = "OTHA", "Thai"
    OVIE = "OVIE", "Vietnamese"
    OYEM = "OYEM", "Yemeni"
    OOEG = "OOEG", "Other Ethnic Group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class SettingPhase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    POST16 = "post16", "16 plus"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class SettingType(models.TextChoices):
    MAINSTREAM = "mainstream", "Mainstream school"
    SPECIAL = "special", "Special school"
    RESOURCED = "resourced", "Resourced provision or SEN unit"
    INDEPENDENT = "independent", "Independent school"
    FE_COLLEGE = "fe_college", "Further education college"
    EARLY_YEARS = "early_years", "Early years provider"
    AP = "ap", "Alternative provision"


class CeaseReason(models.TextChoices):
    """SEN2 CeaseReason (2023-): why an EHC plan stopped being maintained."""

    MAX_AGE = "1", "Reached maximum age (end of the academic year in which they turned 25; or 19 entering the adult estate)"
    NEEDS_MET = "2", "Needs met without an EHC plan"
    HIGHER_EDUCATION = "3", "Moved on to higher education"
    EMPLOYMENT = "4", "Moved on to paid employment, excluding apprenticeships"
    TRANSFERRED_LA = "5", "Transferred to another local authority in England"
    NOT_ENGAGING = "6", "Young person no longer wishes to engage in education or training"
    LEFT_ENGLAND = "7", "Moved outside England"
    DECEASED = "8", "Person deceased"
    OTHER = "9", "Other"


class SettingKind(models.TextChoices):
    """SEN2 SENsetting: where a plan names, or a child attends, no setting with a URN or UKPRN."""

    OLA = "OLA", "Other: arrangements made by the council (education otherwise than at school, CFA s.61)"
    OPA = "OPA", "Other: arrangements made by the parent or young person (CFA s.42(5)), not home education"
    EHE = "EHE", "Elective home education"
    EYP = "EYP", "Early years provider with no URN"
    OTH = "OTH", "Other, including a type of setting named with no setting"
    NEET = "NEET", "Not in education, employment or training (aged 16 to 25)"
    NIEC = "NIEC", "Not in education or training: notice to cease issued"
    NIEO = "NIEO", "Not in education or training: other reason"


# NEET, NIEC and NIEO describe what a child is doing, not what a plan names: attendance only (item 5.7c).
NAMED_SETTING_KINDS = ["OLA", "OPA", "EHE", "EYP", "OTH"]


class ResidentialWeeks(models.TextChoices):
    """SEN2 PlanRes / Res: a residential placement (CBDS RFC 1299 meanings, from the 2026 return)."""

    UP_TO_38 = "A", "Residential, up to 38 weeks a year"
    UP_TO_52 = "B", "Residential, 39 to 52 weeks a year"


class WorkBasedLearning(models.TextChoices):
    """SEN2 PlanWBP / WBP."""

    APPRENTICESHIP = "A", "Apprenticeship"
    TRAINEESHIP = "T", "Traineeship"
    SUPPORTED_INTERNSHIP = "S", "Supported internship"


class DirectPayments(models.TextChoices):
    """SEN2 DP: what a direct payment in the personal budget is for."""

    EDUCATION = "E", "Education only"
    SOCIAL_CARE = "S", "Social care only"
    HEALTH = "H", "Health only"
    INTEGRATED = "I", "A combination (integrated payment)"


class DesignatedOfficer(models.TextChoices):
    """SEN2 header DMO / DCO / DSCO: whether the council has a designated officer in post."""

    YES = "Y", "Yes"
    NO = "N", "No"
    RECRUITING = "R", "Recruitment in progress"
