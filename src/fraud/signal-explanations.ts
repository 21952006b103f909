/**
 * What each signal means, in plain language, for staff deciding an alert and for the licence
 * holder reading their data export (GDPR Art. 13–15, 22: the logic involved, explained).
 */
import type { SignalName } from './fraud-signals';

export interface SignalExplanation {
  title: string;
  /** what we noticed */
  what: string;
  /** why it may point to misuse */
  why: string;
  /** ordinary reasons that look the same, so nobody jumps to a conclusion */
  innocentCauses: string;
}

export const SIGNAL_EXPLANATIONS: Record<SignalName, SignalExplanation> = {
  device_fanout: {
    title: 'More computers than the licence allows',
    what: 'Within a short period, the licence key was tried on more different computers than the licence allows, counting attempts that were refused.',
    why: 'A named licence is for one person; many computers in a short time can mean the key was shared.',
    innocentCauses: 'Replacing a broken computer, or trying the software on a colleague\u2019s machine while helping them.',
  },
  account_fanout: {
    title: 'More Windows accounts than the licence allows',
    what: 'Within a short period, more different Windows user accounts used the licence than it is issued for.',
    why: 'A named licence belongs to one person; other accounts can mean other people use it.',
    innocentCauses: 'An IT administrator starting the software once under their own account, or a renamed account.',
  },
  churn: {
    title: 'Many activations and releases',
    what: 'Over the last 30 days, the licence was activated on and released from computers more often than usual.',
    why: 'Moving a licence back and forth between computers can be a way to share it between people.',
    innocentCauses: 'Reinstalling Windows several times, or computers being replaced during a hardware roll-out.',
  },
  mac_collision: {
    title: 'A network adapter address seen on another computer',
    what: 'The network adapter address (MAC) of this computer was also reported, under another computer name, by a computer using another licence.',
    why: 'Identical addresses on differently named computers usually come from copied disk images or a faked address.',
    innocentCauses: 'Virtual machines built from one template, or a hardware vendor reusing addresses.',
  },
  overlap: {
    title: 'The same computer in two places at once',
    what: 'Within a few minutes, the same computer checked its licence from one network, then another, then the first again.',
    why: 'This pattern suggests two copies of one computer (or of its identity) running in different places.',
    innocentCauses: 'A VPN connection that keeps dropping and reconnecting, or switching between Wi-Fi and a mobile hotspot.',
  },
  clock_drift: {
    title: 'The computer\u2019s clock is wrong',
    what: 'The computer\u2019s clock differed from ours by more than the allowed margin (one hour by default, so a daylight-saving change does not count).',
    why: 'Setting a clock back can be used to extend an expired licence or its offline period.',
    innocentCauses: 'A flat clock battery, or a computer that has not synchronised its time for a long while.',
  },
};

/** What a staff decision means for the holder, in their export. */
export const DECISION_EXPLANATIONS = {
  open: 'Noticed automatically; nobody has looked at it yet. Nothing happens to your licence because of it.',
  under_review: 'A member of staff is looking at it. Nothing happens to your licence because of it unless a person decides so.',
  confirmed: 'A member of staff looked at the evidence and concluded it was misuse. The reason is given.',
  dismissed: 'A member of staff looked at the evidence and concluded it was not misuse.',
} as const;
