"""The columns of a Consolidated Screening List download, written once: each with the
property its values are published under, so that nothing in a row is dropped silently. The
reader (kg.sources.csl_read) reads these columns; the mapper (kg.sources.csl) maps them."""

from kg.vocab import ELKG, RDF, SCHEMA

#: Every column and the property it is mapped to: nothing in a row is dropped silently.
COLUMN_PROPERTIES = {
    "_id": ELKG.cslId,
    "source": ELKG.onList,
    "entity_number": ELKG.entityNumber,
    "type": RDF.type,
    "programs": ELKG.programme,
    "name": ELKG.publishedName,
    "title": SCHEMA.jobTitle,
    "addresses": ELKG.address,
    "federal_register_notice": ELKG.citesInstrument,
    "start_date": ELKG.startDate,
    "end_date": ELKG.endDate,
    "standard_order": ELKG.standardOrder,
    "license_requirement": ELKG.licenceRequirement,
    "license_policy": ELKG.licenceReviewPolicyText,
    "call_sign": ELKG.callSign,
    "vessel_type": ELKG.vesselType,
    "gross_tonnage": ELKG.grossTonnage,
    "gross_registered_tonnage": ELKG.grossRegisteredTonnage,
    "vessel_flag": ELKG.vesselFlag,
    "vessel_owner": ELKG.vesselOwner,
    "remarks": ELKG.remarks,
    "source_list_url": ELKG.sourceListPage,
    "alt_names": SCHEMA.alternateName,
    "citizenships": ELKG.citizenship,
    "dates_of_birth": ELKG.dateOfBirth,
    "nationalities": ELKG.nationality,
    "places_of_birth": ELKG.placeOfBirth,
    "source_information_url": ELKG.sourceInformationPage,
    "ids": ELKG.identifierText,
}
#: The columns, in the order of the official download.
COLUMNS = tuple(COLUMN_PROPERTIES)
