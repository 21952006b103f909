/**
 * The register's texts that a licence holder reads, in Dutch ("u"): the purposes, legal bases and
 * retention periods of catalogue.ts, by id. Used by the privacy page and the readable export in
 * Dutch; a test fails when an activity or category of the catalogue has no Dutch text here.
 * No imports: the privacy page bundles this file as it is.
 */
export interface ActivityNl { purpose: string; legalBasis: string; retention: string }
export interface CategoryNl { name: string; retention: string }

export const ACTIVITIES_NL: Record<string, ActivityNl> = {
  licence_management: {
    purpose: 'Licenties op naam uitgeven en beheren voor de aangewezen gebruikers van de klant',
    legalBasis: 'Overeenkomst (AVG art. 6(1)(b)) met de klant; gerechtvaardigd belang (art. 6(1)(f)) om te weten wie de licentiehouder op naam is',
    retention: 'tot 2 jaar na het einde van de licentieovereenkomst',
  },
  licence_validation: {
    purpose: 'Licenties controleren aan de hand van Windows-gebruikersnaam, computernaam en MAC-adres, en de contractuele grenzen voor computers en gebruikers toepassen',
    legalBasis: 'Overeenkomst (art. 6(1)(b))',
    retention: 'computers zolang de licentie bestaat; licentiecontroles 180 dagen',
  },
  fraud_prevention: {
    purpose: 'Misbruik van licenties opsporen (gedeelde sleutels, gekopieerde computers); elke melding wordt door een persoon beslist, nooit automatisch (art. 22)',
    legalBasis: 'Gerechtvaardigd belang (art. 6(1)(f)) bij het beschermen van de gelicentieerde software',
    retention: 'zolang de licentie bestaat; licentiecontroles 180 dagen',
  },
  usage_statistics: {
    purpose: 'De software verbeteren op basis van gepseudonimiseerde gebruiksstatistieken',
    legalBasis: 'Gerechtvaardigd belang (art. 6(1)(f)); de verzameling stopt bij bezwaar of beperking',
    retention: 'ruwe gebeurtenissen 13 maanden, daarna totalen zonder pseudoniem',
  },
  customer_communication: {
    purpose: 'Service- en productberichten aan contactpersonen van de klant',
    legalBasis: 'Gerechtvaardigd belang (art. 6(1)(f)); een bezwaar tegen direct marketing wordt altijd gevolgd (art. 21(3))',
    retention: 'tot 2 jaar na het einde van de licentieovereenkomst',
  },
  data_subject_rights: {
    purpose: 'Uw identiteit controleren en uw verzoeken behandelen (inzage, verbetering, wissing, beperking, bezwaar, overdraagbaarheid)',
    legalBasis: 'Wettelijke verplichting (art. 6(1)(c), art. 12–22 AVG)',
    retention: 'codes: 10 minuten geldig (gewist na 24 uur); verzoeken: zie de categorie',
  },
  security_accountability: {
    purpose: 'Elke inzage van medewerkers in persoonsgegevens vastleggen met het doel, het systeem veilig houden en datalekken melden',
    legalBasis: 'Wettelijke verplichting (art. 5(2), 32–34 AVG)',
    retention: 'bewaard; de persoonlijke details worden met uw gegevens gewist',
  },
  billing: {
    purpose: 'De contract- en factuurgegevens bewaren die de belastingwet vereist',
    legalBasis: 'Wettelijke verplichting (art. 6(1)(c)): Belgisch btw-wetboek art. 60 (10 jaar)',
    retention: '10 jaar',
  },
};

export const CATEGORIES_NL: Record<string, CategoryNl> = {
  contact_data: { name: 'Identiteit en contactgegevens', retention: 'tot 2 jaar na het einde van de licentieovereenkomst van de klant, of tot wissing' },
  licence_data: { name: 'Licenties op naam', retention: 'tot 2 jaar na het einde van de licentieovereenkomst, of tot wissing' },
  device_data: { name: 'Computers (activeringen)', retention: 'tot de licentie gewist wordt (uiterlijk 2 jaar na het einde van de overeenkomst)' },
  validation_history: { name: 'Licentiecontroles', retention: '180 dagen' },
  fraud_evidence: { name: 'Fraudemeldingen en beslissingen', retention: 'zolang de licentie bestaat; gewist samen met uw gegevens' },
  usage_telemetry: { name: 'Gepseudonimiseerde gebruiksstatistieken', retention: 'ruwe gebeurtenissen 13 maanden; daarna alleen dagtotalen zonder pseudoniem (groepen kleiner dan 5 verborgen)' },
  privacy_requests: { name: 'Verzoeken van betrokkenen', retention: 'zolang uw gegevens bestaan; na wissing alleen het niet-identificerende dossier (soort, data, ontvangstbewijs) gedurende 5 jaar (verantwoording, art. 5(2))' },
  identity_verification: { name: 'Eenmalige verificatiecodes', retention: '10 minuten geldig; gewist na 24 uur' },
  access_log: { name: 'Logboek van inzage en handelingen (audittrail)', retention: 'beveiligd met een hashketen en bewaard; de persoonlijke details van een regel worden met uw gegevens gewist' },
  billing_records: { name: 'Minimale contract- en factuurgegevens', retention: '10 jaar (Belgisch btw-wetboek art. 60)' },
  breach_notifications: { name: 'Meldingen van datalekken en subverwerkers', retention: 'zolang uw gegevens bestaan; bij wissing wordt de koppeling met u verwijderd en blijft alleen bewaard dat een melding verstuurd werd' },
  erasure_proof: { name: 'Bewijs van wissing', retention: 'bewaard als bewijs dat de wissing gebeurde; bevat geen persoonsgegevens' },
};
