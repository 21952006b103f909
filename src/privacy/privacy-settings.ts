/**
 * Who the controller is, who its DPO is, which sub-processors it uses and in which time zone its
 * legal deadlines run: facts about the operator, not about the code. They come from the
 * configuration (environment variables, or a JSON file named by NOMINA_PRIVACY_CONFIG, the
 * environment winning), are validated at start-up with the rest of the configuration, and feed
 * the register of processing activities, every subject export and every notice sent.
 *
 * In development and test, what is unset gets a value that says it is a development
 * placeholder; in production the service refuses to start while any of it is unset.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isKnownTimeZone } from './deadlines';

const DATA_CATEGORY_IDS = [
  'contact_data', 'licence_data', 'device_data', 'validation_history', 'fraud_evidence', 'usage_telemetry',
  'privacy_requests', 'identity_verification', 'access_log', 'billing_records', 'erasure_proof', 'breach_notifications',
] as const;

export const SubProcessorSetting = z.strictObject({
  name: z.string().trim().min(1).max(200),
  service: z.string().trim().min(1).max(500),
  /** where it processes; the register promises the EEA, so "outside the EEA" must be said explicitly */
  location: z.string().trim().min(1).max(200),
  categories: z.array(z.enum(DATA_CATEGORY_IDS)).min(1),
});
export type SubProcessorSetting = z.infer<typeof SubProcessorSetting>;

const FileSchema = z.strictObject({
  controller: z.strictObject({ name: z.string().trim().min(1).optional(), address: z.string().trim().min(1).optional(), enterpriseNumber: z.string().trim().min(1).optional() }).optional(),
  dpo: z.strictObject({ name: z.string().trim().min(1).optional(), email: z.email().optional() }).optional(),
  subProcessors: z.array(SubProcessorSetting).optional(),
  timeZone: z.string().optional(),
});

export interface PrivacySettings {
  controller: { name: string; address: string; enterpriseNumber: string };
  dpo: { name: string; email: string };
  /** the sub-processors the register starts with (staff maintain it afterwards: src/privacy/sub-processors/) */
  subProcessors: SubProcessorSetting[];
  /** IANA time zone in which request deadlines are counted */
  timeZone: string;
  /** the settings that fell back to a development placeholder (empty in production) */
  placeholders: string[];
}

const PLACEHOLDER = (variable: string) => `[development placeholder — set ${variable}]`;

/** The development defaults: recognisable as placeholders wherever they appear. */
export function developmentPrivacySettings(): PrivacySettings {
  return {
    controller: { name: PLACEHOLDER('NOMINA_CONTROLLER_NAME'), address: PLACEHOLDER('NOMINA_CONTROLLER_ADDRESS'), enterpriseNumber: PLACEHOLDER('NOMINA_CONTROLLER_ENTERPRISE_NUMBER') },
    dpo: { name: PLACEHOLDER('NOMINA_DPO_NAME'), email: 'dpo@nomina.invalid' },
    subProcessors: [
      { name: PLACEHOLDER('NOMINA_SUB_PROCESSORS (hosting provider)'), service: 'servers, PostgreSQL database and encrypted backups', location: 'European Economic Area', categories: ['contact_data', 'licence_data', 'device_data', 'validation_history', 'fraud_evidence', 'usage_telemetry', 'privacy_requests', 'identity_verification', 'access_log', 'billing_records'] },
      { name: PLACEHOLDER('NOMINA_SUB_PROCESSORS (e-mail delivery provider)'), service: 'SMTP relay for verification codes and notices', location: 'European Economic Area', categories: ['contact_data'] },
    ],
    timeZone: DEFAULT_TIME_ZONE,
    placeholders: ['NOMINA_CONTROLLER_NAME', 'NOMINA_CONTROLLER_ADDRESS', 'NOMINA_CONTROLLER_ENTERPRISE_NUMBER', 'NOMINA_DPO_NAME', 'NOMINA_DPO_EMAIL', 'NOMINA_SUB_PROCESSORS'],
  };
}

/**
 * Reads the privacy settings from the environment (and the optional file). Problems are
 * returned, not thrown, so the configuration can list them with every other problem.
 */
export function readPrivacySettings(env: NodeJS.ProcessEnv, production: boolean): { settings?: PrivacySettings; problems: string[] } {
  const problems: string[] = [];
  let file: z.infer<typeof FileSchema> = {};
  if (env.NOMINA_PRIVACY_CONFIG) {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(readFileSync(env.NOMINA_PRIVACY_CONFIG, 'utf8')));
      if (parsed.success) file = parsed.data;
      else for (const issue of parsed.error.issues) problems.push(`NOMINA_PRIVACY_CONFIG ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    } catch (error) {
      problems.push(`NOMINA_PRIVACY_CONFIG: cannot read ${env.NOMINA_PRIVACY_CONFIG} as JSON (${error instanceof Error ? error.message.split('\n')[0] : 'unknown error'})`);
    }
  }
  let subProcessors = file.subProcessors;
  if (env.NOMINA_SUB_PROCESSORS) {
    try {
      const parsed = z.array(SubProcessorSetting).min(1).safeParse(JSON.parse(env.NOMINA_SUB_PROCESSORS));
      if (parsed.success) subProcessors = parsed.data;
      else for (const issue of parsed.error.issues) problems.push(`NOMINA_SUB_PROCESSORS ${issue.path.join('.')}: ${issue.message}`);
    } catch {
      problems.push('NOMINA_SUB_PROCESSORS: expected a JSON array of {name, service, location, categories}');
    }
  }
  const dpoEmail = env.NOMINA_DPO_EMAIL?.trim() || file.dpo?.email;
  if (dpoEmail && !z.email().safeParse(dpoEmail).success) problems.push('NOMINA_DPO_EMAIL: expected an e-mail address');
  const timeZone = env.NOMINA_TIME_ZONE?.trim() || file.timeZone || DEFAULT_TIME_ZONE;
  if (!isKnownTimeZone(timeZone)) problems.push(`NOMINA_TIME_ZONE: unknown time zone "${timeZone}" (use an IANA name such as Europe/Brussels)`);

  const given: Record<string, string | undefined> = {
    NOMINA_CONTROLLER_NAME: env.NOMINA_CONTROLLER_NAME?.trim() || file.controller?.name,
    NOMINA_CONTROLLER_ADDRESS: env.NOMINA_CONTROLLER_ADDRESS?.trim() || file.controller?.address,
    NOMINA_CONTROLLER_ENTERPRISE_NUMBER: env.NOMINA_CONTROLLER_ENTERPRISE_NUMBER?.trim() || file.controller?.enterpriseNumber,
    NOMINA_DPO_NAME: env.NOMINA_DPO_NAME?.trim() || file.dpo?.name,
    NOMINA_DPO_EMAIL: dpoEmail,
  };
  const missing = [...Object.entries(given).filter(([, v]) => !v).map(([k]) => k), ...(subProcessors ? [] : ['NOMINA_SUB_PROCESSORS'])];
  if (production) {
    for (const name of missing) problems.push(`${name}: required when NODE_ENV=production (environment, or NOMINA_PRIVACY_CONFIG file)`);
  }
  if (problems.length > 0) return { problems };
  const dev = developmentPrivacySettings();
  return {
    problems,
    settings: {
      controller: {
        name: given.NOMINA_CONTROLLER_NAME ?? dev.controller.name,
        address: given.NOMINA_CONTROLLER_ADDRESS ?? dev.controller.address,
        enterpriseNumber: given.NOMINA_CONTROLLER_ENTERPRISE_NUMBER ?? dev.controller.enterpriseNumber,
      },
      dpo: { name: given.NOMINA_DPO_NAME ?? dev.dpo.name, email: given.NOMINA_DPO_EMAIL ?? dev.dpo.email },
      subProcessors: subProcessors ?? dev.subProcessors,
      timeZone,
      placeholders: missing,
    },
  };
}
