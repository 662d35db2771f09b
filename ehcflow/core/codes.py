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
    """Main DfE ethnicity codes (CBDS); the extended 4-letter codes can be added as data."""

    WBRI = "WBRI", "White - British"
    WIRI = "WIRI", "White - Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy / Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black - African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
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
