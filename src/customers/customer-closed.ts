import { AppError } from '../http/problem';

/**
 * Refused: the customer was closed (close-customer.ts) — its data handed back and erased — so no
 * contact or licence is created under it any more. A returning organisation is a new customer.
 */
export function customerClosed(): AppError {
  return new AppError('CONFLICT', 'this customer was closed: its data was handed back and erased; create a new customer for a returning organisation', {
    errors: [{ pointer: '/customerId', detail: 'the customer is closed' }],
  });
}
