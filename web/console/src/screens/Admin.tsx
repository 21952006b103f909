import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api';
import type { Me, Role } from '../App';
import { useI18n, type MessageId } from '../i18n';
import { linkProps } from '../router';
import { ErrorNotice, Field, Page, Select, useLoad } from '../parts';

interface Product { id: string; code: string; name: string }
interface Policy { id: string; productId: string; name: string; maxMachines: number; maxUsers: number; durationDays: number | null; offlineGraceHours: number; transfersPer30Days: number; offlineLicenceDays: number }
interface Staff { id: string; email: string; roles: Role[]; disabled: boolean }

/** Policy fields with their defaults (as the API applies them) and what each means. */
const POLICY_FIELDS = [
  { name: 'maxMachines', def: '2' }, { name: 'maxUsers', def: '1' }, { name: 'durationDays', def: '' },
  { name: 'offlineGraceHours', def: '72' }, { name: 'transfersPer30Days', def: '3' }, { name: 'offlineLicenceDays', def: '30' },
] as const;

function useSubmit() {
  const [error, setError] = useState<unknown>(null);
  const run = async (e: FormEvent, fn: () => Promise<void>) => { e.preventDefault(); setError(null); try { await fn(); } catch (err) { setError(err); } };
  return { error, run };
}

function Products({ products, reload }: { products: Product[]; reload(): void }) {
  const { t } = useI18n();
  const [code, setCode] = useState(''); const [name, setName] = useState('');
  const { error, run } = useSubmit();
  return (
    <section aria-labelledby="products"><h2 id="products">{t('admin.products')}</h2>
      <ul className="plain">{products.map((p) => <li key={p.id}><code>{p.code}</code> {p.name}</li>)}</ul>
      <form className="inline-form" onSubmit={(e) => run(e, async () => { await unwrap(client.POST('/v1/products', { body: { code, name } })); setCode(''); setName(''); reload(); })}>
        <Field label={t('admin.productCode')} hint={t('admin.productCodeHint')} value={code} onChange={setCode} required />
        <Field label={t('admin.productName')} value={name} onChange={setName} required />
        <ErrorNotice error={error} />
        <button type="submit">{t('admin.createProduct')}</button>
      </form>
    </section>
  );
}

function Policies({ products, policies, reload }: { products: Product[]; policies: Policy[]; reload(): void }) {
  const { t } = useI18n();
  const [productId, setProductId] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(POLICY_FIELDS.map((f) => [f.name, f.def])));
  const { error, run } = useSubmit();
  const product = productId || products[0]?.id || '';
  return (
    <section aria-labelledby="policies"><h2 id="policies">{t('admin.policies')}</h2>
      <ul className="plain">{policies.map((p) => <li key={p.id}>{p.name} — {t('licence.policyLine', { name: products.find((x) => x.id === p.productId)?.code ?? '', machines: p.maxMachines, users: p.maxUsers, transfers: p.transfersPer30Days })}</li>)}</ul>
      <form className="narrow" onSubmit={(e) => run(e, async () => {
        const numbers = Object.fromEntries(POLICY_FIELDS.filter((f) => values[f.name] !== '').map((f) => [f.name, Number(values[f.name])]));
        await unwrap(client.POST('/v1/policies', { body: { productId: product, name, ...numbers } as never }));
        setName(''); reload();
      })}>
        <Select label={t('admin.product')} value={product} onChange={setProductId} options={products.map((p) => ({ value: p.id, label: `${p.code} — ${p.name}` }))} />
        <Field label={t('admin.policyName')} value={name} onChange={setName} required />
        {POLICY_FIELDS.map((f) => (
          <Field key={f.name} type="number" label={t(`policy.${f.name}` as MessageId)} hint={t(`policy.${f.name}.hint` as MessageId)} value={values[f.name]} onChange={(v) => setValues({ ...values, [f.name]: v })} />
        ))}
        <ErrorNotice error={error} />
        <button type="submit" disabled={!product}>{t('admin.createPolicy')}</button>
      </form>
    </section>
  );
}

function IssueLicence({ policies }: { policies: Policy[] }) {
  const { t } = useI18n();
  const customers = useLoad(() => unwrap<{ items: { id: string; name: string }[] }>(client.GET('/v1/customers', { params: { query: { limit: 200 } } })), []);
  const [customerId, setCustomerId] = useState('');
  const customer = customerId || customers.data?.items[0]?.id || '';
  const contacts = useLoad(() => (customer ? unwrap<{ items: { id: string; firstName: string; lastName: string; email: string }[] }>(client.GET('/v1/contacts', { params: { query: { customerId: customer, limit: 200 } } })) : Promise.resolve({ items: [] })), [customer]);
  const [holderId, setHolderId] = useState(''); const [policyId, setPolicyId] = useState('');
  const [issued, setIssued] = useState<{ id: string; key: string } | null>(null);
  const { error, run } = useSubmit();
  const holder = holderId || contacts.data?.items[0]?.id || '';
  const policy = policyId || policies[0]?.id || '';
  return (
    <section aria-labelledby="issue"><h2 id="issue">{t('admin.issue')}</h2>
      <form className="narrow" onSubmit={(e) => run(e, async () => { setIssued(await unwrap<{ id: string; key: string }>(client.POST('/v1/licences', { body: { policyId: policy, holderId: holder } }))); })}>
        <Select label={t('licence.customer')} value={customer} onChange={(v) => { setCustomerId(v); setHolderId(''); }} options={(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} />
        <Select label={t('licence.holder')} value={holder} onChange={setHolderId} options={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.firstName} ${c.lastName} (${c.email})` }))} />
        <Select label={t('licence.policy')} value={policy} onChange={setPolicyId} options={policies.map((p) => ({ value: p.id, label: p.name }))} />
        <ErrorNotice error={error} />
        <button type="submit" disabled={!holder || !policy}>{t('admin.issueSubmit')}</button>
      </form>
      {issued && <div className="notice key" role="status"><p>{t('rotate.shownOnce')}</p><code>{issued.key}</code> <a {...linkProps(`/licences/${issued.id}`)}>{t('admin.openLicence')}</a></div>}
    </section>
  );
}

const ROLES: Role[] = ['support', 'privacy_officer', 'admin', 'auditor'];

function RoleBoxes({ roles, onChange }: { roles: Role[]; onChange(roles: Role[]): void }) {
  const { t } = useI18n();
  return (
    <fieldset><legend>{t('admin.roles')}</legend>
      {ROLES.map((r) => (
        <label key={r} className="check"><input type="checkbox" checked={roles.includes(r)} onChange={(e) => onChange(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} /> {t(`role.${r}` as MessageId)}</label>
      ))}
    </fieldset>
  );
}

function ChangeRoles({ user, done }: { user: Staff; done(): void }) {
  const { t } = useI18n();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const { error, run } = useSubmit();
  return (
    <details>
      <summary>{t('admin.changeRoles')}<span className="sr-only"> {user.email}</span></summary>
      <form onSubmit={(e) => run(e, async () => { await unwrap(client.PUT('/v1/staff/{id}/roles', { params: { path: { id: user.id } }, body: { roles } })); done(); })}>
        <RoleBoxes roles={roles} onChange={setRoles} />
        <ErrorNotice error={error} />
        <button type="submit">{t('admin.saveRoles')}</button>
      </form>
    </details>
  );
}

function StaffUsers({ me }: { me: Me }) {
  const { t } = useI18n();
  const staff = useLoad(() => unwrap<{ items: Staff[] }>(client.GET('/v1/staff')), []);
  const [email, setEmail] = useState(''); const [password, setPassword] = useState(''); const [roles, setRoles] = useState<Role[]>(['support']);
  const { error, run } = useSubmit();
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (call: Promise<{ data?: unknown; error?: unknown; response: Response }>) => { setActionError(null); try { await unwrap(call); staff.reload(); } catch (err) { setActionError(err); } };
  return (
    <section aria-labelledby="staff"><h2 id="staff">{t('admin.staff')}</h2>
      <ErrorNotice error={staff.error ?? actionError} />
      <table><thead><tr><th scope="col">{t('signIn.email')}</th><th scope="col">{t('admin.roles')}</th><th scope="col">{t('licence.status')}</th><th scope="col">{t('device.action')}</th></tr></thead>
        <tbody>{staff.data?.items.map((s) => (
          <tr key={s.id}><td>{s.email}</td><td>{s.roles.map((r) => t(`role.${r}` as MessageId)).join(', ')}</td><td>{s.disabled ? t('admin.disabled') : t('device.active')}</td>
            <td>
              <button type="button" onClick={() => act(client.POST('/v1/staff/{id}/actions/unlock', { params: { path: { id: s.id } } }))}>{t('admin.unlock')}<span className="sr-only"> {s.email}</span></button>{' '}
              {!s.disabled && s.id !== me.id && <button type="button" className="danger" onClick={() => act(client.POST('/v1/staff/{id}/actions/disable', { params: { path: { id: s.id } } }))}>{t('admin.disable')}<span className="sr-only"> {s.email}</span></button>}
              {!s.disabled && <ChangeRoles user={s} done={staff.reload} />}
            </td></tr>))}
        </tbody></table>
      <h3>{t('admin.createStaff')}</h3>
      <form className="narrow" onSubmit={(e) => run(e, async () => { await unwrap(client.POST('/v1/staff', { body: { email, password, roles } })); setEmail(''); setPassword(''); staff.reload(); })}>
        <Field label={t('signIn.email')} type="email" value={email} onChange={setEmail} required />
        <Field label={t('admin.initialPassword')} hint={t('admin.passwordHint')} type="password" value={password} onChange={setPassword} autoComplete="new-password" required />
        <RoleBoxes roles={roles} onChange={setRoles} />
        <ErrorNotice error={error} />
        <button type="submit">{t('admin.createStaff')}</button>
      </form>
    </section>
  );
}

function SigningKeys() {
  const { t } = useI18n();
  const [result, setResult] = useState<string | null>(null);
  const { error, run } = useSubmit();
  return (
    <section aria-labelledby="keys"><h2 id="keys">{t('admin.signing')}</h2>
      <p className="hint">{t('admin.signingHint')}</p>
      <form onSubmit={(e) => run(e, async () => { const r = await unwrap<{ kid?: string; newKid?: string }>(client.POST('/v1/signing-keys/actions/rotate')); setResult(r.newKid ?? r.kid ?? 'ok'); })}>
        <ErrorNotice error={error} />
        <button type="submit">{t('admin.rotateSigning')}</button>
      </form>
      {result && <p role="status">{t('admin.rotated', { kid: result })}</p>}
    </section>
  );
}

export function Admin({ me }: { me: Me }) {
  const { t } = useI18n();
  const products = useLoad(() => unwrap<{ items: Product[] }>(client.GET('/v1/products')), []);
  const policies = useLoad(() => unwrap<{ items: Policy[] }>(client.GET('/v1/policies', { params: { query: {} } })), []);
  return (
    <Page title={t('admin.title')}>
      <ErrorNotice error={products.error ?? policies.error} />
      <div className="grid2">
        <Products products={products.data?.items ?? []} reload={products.reload} />
        <Policies products={products.data?.items ?? []} policies={policies.data?.items ?? []} reload={policies.reload} />
      </div>
      <IssueLicence policies={policies.data?.items ?? []} />
      <StaffUsers me={me} />
      <SigningKeys />
    </Page>
  );
}
