export { decodeActivationRequestText, encodeActivationRequest } from '../../src/offline/request-file';
export { MAX_PENDING_REQUESTS as MAX_PENDING_REQUESTS_FOR_TESTS } from '../../src/offline/pending-requests';
export { hashIdentity } from '../../src/offline/identity-hash';
