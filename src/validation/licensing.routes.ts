/** The routes of licences, devices, validation and token signing, for the route table. */
import { deviceRoutes } from '../devices/devices.routes';
import { licenceRoutes } from '../licences/licences.routes';
import { signingRoutes } from '../signing/signing.routes';
import { validateRoutes } from './validate.routes';
import { validationStatsRoutes } from './validation-stats.routes';

export const licensingRoutes = [...validateRoutes, ...signingRoutes, ...licenceRoutes, ...deviceRoutes, ...validationStatsRoutes];
