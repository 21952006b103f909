/**
 * What each audit action means to the person it is about, in plain English and Dutch ("u").
 * The audit trail stores short codes (`licence.list`); the privacy page and the readable export
 * show these sentences instead. An action without its own sentence falls back to the sentence
 * of its domain (the part before the first dot), so a new action never shows as a raw code.
 */
export interface Label { en: string; nl: string }

const ACTIONS: Record<string, Label> = {
  'contact.read': { en: 'Looked at your contact details', nl: 'Heeft uw contactgegevens bekeken' },
  'contact.list': { en: 'Saw you in a list of contacts', nl: 'Zag u in een lijst met contactpersonen' },
  'contact.create': { en: 'Recorded you as a contact of your organisation', nl: 'Heeft u geregistreerd als contactpersoon van uw organisatie' },
  'contact.update': { en: 'Changed your contact details', nl: 'Heeft uw contactgegevens gewijzigd' },
  'contact.rectify': { en: 'Corrected your contact details', nl: 'Heeft uw contactgegevens verbeterd' },
  'contact.processing_choices': { en: 'Changed your objections or restriction', nl: 'Heeft uw bezwaren of beperking gewijzigd' },
  'licence.issue': { en: 'Issued a licence to you', nl: 'Heeft u een licentie gegeven' },
  'licence.list': { en: 'Saw your licences in a search', nl: 'Zag uw licenties in een zoekopdracht' },
  'licence.read': { en: 'Looked at your licence', nl: 'Heeft uw licentie bekeken' },
  'licence.suspend': { en: 'Suspended your licence', nl: 'Heeft uw licentie geschorst' },
  'licence.reinstate': { en: 'Reinstated your licence', nl: 'Heeft uw licentie weer geactiveerd' },
  'licence.revoke': { en: 'Revoked your licence', nl: 'Heeft uw licentie ingetrokken' },
  'licence.rotate_key': { en: 'Replaced your licence key', nl: 'Heeft uw licentiesleutel vervangen' },
  'licence.end_for_erasure': { en: 'Ended your licence because you asked to be erased', nl: 'Heeft uw licentie beëindigd omdat u om wissing vroeg' },
  'licence.devices.read': { en: 'Looked at your computers', nl: 'Heeft uw computers bekeken' },
  'device.read': { en: 'Looked at one of your computers', nl: 'Heeft een van uw computers bekeken' },
  'device.release': { en: 'Released one of your computers from your licence', nl: 'Heeft een van uw computers losgekoppeld van uw licentie' },
  'offline_activation.issued': { en: 'Activated a computer without network on your licence (licence file)', nl: 'Heeft een computer zonder netwerk geactiveerd op uw licentie (licentiebestand)' },
  'offline_release.accepted': { en: 'Released a computer without network with the release file it wrote', nl: 'Heeft een computer zonder netwerk losgekoppeld met het vrijgavebestand dat die schreef' },
  'fraud_alert.read': { en: 'Looked at a fraud alert about your licence', nl: 'Heeft een fraudemelding over uw licentie bekeken' },
  'fraud_alert.review': { en: 'Started reviewing a fraud alert about your licence', nl: 'Is een fraudemelding over uw licentie gaan beoordelen' },
  'fraud_alert.decide': { en: 'Decided on a fraud alert about your licence', nl: 'Heeft beslist over een fraudemelding over uw licentie' },
  'fraud_alert.comment': { en: 'Added a note to a fraud alert about your licence', nl: 'Heeft een notitie toegevoegd aan een fraudemelding over uw licentie' },
  'fraud_alert.contest': { en: 'You contested a fraud alert', nl: 'U hebt een fraudemelding betwist' },
  'privacy_request.log': { en: 'Recorded a request you made by phone or letter', nl: 'Heeft een verzoek genoteerd dat u per telefoon of brief deed' },
  'privacy_request.read': { en: 'Looked at one of your requests', nl: 'Heeft een van uw verzoeken bekeken' },
  'privacy_request.list': { en: 'Saw your requests in the request queue', nl: 'Zag uw verzoeken in de wachtrij met verzoeken' },
  'privacy_request.verify-identity': { en: 'Confirmed your identity for a request', nl: 'Heeft uw identiteit bevestigd voor een verzoek' },
  'privacy_request.extend': { en: 'Extended the deadline of one of your requests', nl: 'Heeft de termijn van een van uw verzoeken verlengd' },
  'privacy_request.complete': { en: 'Completed one of your requests', nl: 'Heeft een van uw verzoeken afgehandeld' },
  'privacy_request.reject': { en: 'Refused one of your requests', nl: 'Heeft een van uw verzoeken geweigerd' },
  'privacy_request.erasure_decision': { en: 'Decided on your erasure request', nl: 'Heeft beslist over uw verzoek tot wissing' },
  'privacy_request.access': { en: 'You asked for a copy of your data', nl: 'U hebt om een kopie van uw gegevens gevraagd' },
  'privacy_request.portability': { en: 'You asked for your data in a reusable format', nl: 'U hebt om uw gegevens in een herbruikbaar formaat gevraagd' },
  'privacy_request.rectification': { en: 'You asked to correct your data', nl: 'U hebt gevraagd uw gegevens te verbeteren' },
  'privacy_request.erasure': { en: 'You asked to erase your data', nl: 'U hebt gevraagd uw gegevens te wissen' },
  'privacy_request.restriction': { en: 'You asked to restrict the use of your data', nl: 'U hebt gevraagd het gebruik van uw gegevens te beperken' },
  'privacy_request.objection': { en: 'You objected to a use of your data', nl: 'U hebt bezwaar gemaakt tegen een gebruik van uw gegevens' },
  'subject.session': { en: 'You signed in to your privacy page', nl: 'U hebt zich aangemeld op uw privacypagina' },
  'subject.export': { en: 'You viewed or downloaded your data', nl: 'U hebt uw gegevens bekeken of gedownload' },
  'subject.erased': { en: 'Your data was erased', nl: 'Uw gegevens zijn gewist' },
};

const DOMAINS: Record<string, Label> = {
  contact: { en: 'Used your contact details', nl: 'Heeft uw contactgegevens gebruikt' },
  licence: { en: 'Used your licence data', nl: 'Heeft uw licentiegegevens gebruikt' },
  device: { en: 'Used the data of your computers', nl: 'Heeft de gegevens van uw computers gebruikt' },
  fraud_alert: { en: 'Worked on a fraud alert about your licence', nl: 'Heeft gewerkt aan een fraudemelding over uw licentie' },
  privacy_request: { en: 'Worked on one of your requests', nl: 'Heeft gewerkt aan een van uw verzoeken' },
  subject: { en: 'An action on your privacy page', nl: 'Een handeling op uw privacypagina' },
};

const OTHER: Label = { en: 'Used your data', nl: 'Heeft uw gegevens gebruikt' };

export function actionLabel(action: string): Label {
  return ACTIONS[action] ?? DOMAINS[action.split('.')[0]] ?? OTHER;
}

export const ROLE_LABELS: Record<string, Label> = {
  support: { en: 'Support staff', nl: 'Klantenondersteuning' },
  privacy_officer: { en: 'Privacy officer', nl: 'Privacyfunctionaris' },
  admin: { en: 'Administrator', nl: 'Beheerder' },
  auditor: { en: 'Auditor', nl: 'Auditor' },
};

export const ACTOR_LABELS: Record<string, Label> = {
  subject: { en: 'You', nl: 'U' },
  system: { en: 'The system (automatically)', nl: 'Het systeem (automatisch)' },
  licence: { en: 'Your application', nl: 'Uw toepassing' },
  api_key: { en: 'A system of the vendor (shop, billing)', nl: 'Een systeem van de leverancier (webwinkel, facturatie)' },
  staff: { en: 'Vendor staff', nl: 'Medewerker van de leverancier' },
};
