import os from 'node:os';
import { selectPhysicalMacs, type InterfaceTable } from './mac-filter.js';

/** What the server matches a device on (docs/architecture.md §4): NT account, PC name and physical MACs. */
export interface DeviceIdentity {
  ntUsername: string;
  ntDomain: string;
  pcName: string;
  macAddresses: string[];
}

/** Everything identity reads from the machine; each can be injected (tests, non-Windows hosts). */
export interface IdentitySources {
  env: Record<string, string | undefined>;
  hostname: string;
  /** os.userInfo().username; a function because it throws on hosts without a passwd entry. */
  userName: () => string;
  networkInterfaces: InterfaceTable;
}

function defaultSources(): IdentitySources {
  return {
    env: process.env,
    hostname: os.hostname(),
    userName: () => os.userInfo().username,
    networkInterfaces: os.networkInterfaces(),
  };
}

function safeUserName(sources: IdentitySources): string {
  try {
    return sources.userName();
  } catch {
    return sources.env.USER ?? sources.env.LOGNAME ?? 'unknown';
  }
}

/**
 * On Windows USERNAME/USERDOMAIN are the NT account. Elsewhere there is no NT domain; like a
 * Windows local account, the machine name stands in for it so the pair stays unique.
 */
export function collectDeviceIdentity(overrides: Partial<IdentitySources> = {}): DeviceIdentity {
  const sources: IdentitySources = { ...defaultSources(), ...overrides };
  const shortHostname = sources.hostname.split('.')[0] || sources.hostname || 'unknown';
  return {
    ntUsername: sources.env.USERNAME || safeUserName(sources),
    ntDomain: sources.env.USERDOMAIN || shortHostname.toUpperCase(),
    pcName: shortHostname,
    macAddresses: selectPhysicalMacs(sources.networkInterfaces),
  };
}

/** e.g. "Windows 11 Pro 10.0.22631 (x64)" or "Linux 6.8.0 (x64)"; sent as app.os and osVersion. */
export function describeOperatingSystem(): string {
  // On Windows os.version() is the edition; elsewhere it is a long kernel build string.
  const name = process.platform === 'win32' ? os.version() : os.type();
  return `${name} ${os.release()} (${os.arch()})`.slice(0, 64);
}
