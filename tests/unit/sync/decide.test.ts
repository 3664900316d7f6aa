// The sync rules of docs/architecture.md ("Sync", and the hostile server's claims), one row each, named
// after the rule's words, against the pure decisions (lib/sync/decide.ts, lib/sync/manifest.ts). Each
// row also names a `pivot`: the fact the rule turns on, changed; the decision must then differ, so a
// row cannot pass by a ladder that ignores its rule.
import { describe, expect, it } from 'vitest';
import {
  type AnswerDecision,
  type AnswerFacts,
  decideAnswer,
  decideIncoming,
  decideMark,
  type IncomingDecision,
  type IncomingFacts,
  type MarkDecision,
  type MarkFacts,
} from '../../../lib/sync/decide';
import { KINDS } from '../../../lib/sync/kinds';
import { compare, type Entry, merge } from '../../../lib/sync/manifest';

const { safe, environment, secret, override } = KINDS;

/** A live copy from another device, one version above what this device holds and has seen. */
const item = (f: Partial<IncomingFacts> = {}): IncomingFacts => ({
  rules: secret,
  revision: 20,
  deleted: false,
  ver: 6,
  held: { rev: 10, seen: 5 },
  pending: false,
  opens: true,
  sameBytes: false,
  ownEcho: false,
  sameContent: false,
  ...f,
});

const incoming: { rule: string; facts: IncomingFacts; decision: IncomingDecision; pivot: Partial<IncomingFacts> }[] = [
  {
    rule: 'an item is kept only if each ciphertext opens with the binding of the place it claims',
    facts: item({ opens: false }),
    decision: 'refuse-damaged',
    pivot: { opens: true },
  },
  {
    rule: 'an item is kept only if its version is newer than any the server has shown this device',
    facts: item({ ver: 5 }),
    decision: 'refuse-older',
    pivot: { ver: 6 },
  },
  {
    rule: '`seen`: an edit waiting here does not count (another device may carry the same number)',
    facts: item({ pending: true, held: { rev: 10, seen: 5 }, ver: 6 }),
    decision: 'conflict',
    pivot: { held: { rev: 10, seen: 6 } },
  },
  {
    rule: 'anything else is counted as damaged and never used: an item whose shape no Keysmith writes',
    facts: item({ malformed: true }),
    decision: 'refuse-malformed',
    pivot: { malformed: false },
  },
  {
    rule: 'a device removes a record only on a deletion that opens where it holds that record',
    facts: item({ deleted: true, opens: false }),
    decision: 'refuse-damaged',
    pivot: { opens: true },
  },
  {
    rule: 'deletions made before they were sealed, still on a server, are refused as damaged',
    facts: item({ deleted: true, ver: 0, opens: false }),
    decision: 'refuse-damaged',
    pivot: { ver: 6, opens: true },
  },
  {
    rule: 'the version of every record deleted is kept in the gone log, so a copy of it at or below that version is refused',
    facts: item({ held: undefined, goneAt: 6, ver: 6 }),
    decision: 'refuse-resurrection',
    pivot: { goneAt: 5 },
  },
  {
    rule: 'bringing it back is the version above the deletion, so every device takes it',
    facts: item({ held: undefined, goneAt: 6, ver: 7 }),
    decision: 'take',
    pivot: { ver: 6 },
  },
  {
    rule: 'items whose safe or environment has not arrived yet wait for the next page',
    facts: item({ rules: environment, held: undefined, safeMissing: true }),
    decision: 'wait',
    pivot: { safeMissing: false },
  },
  {
    rule: 'a secret edited here and on the server: both copies are kept, the local one in use, until the user picks',
    facts: item({ pending: true }),
    decision: 'conflict',
    pivot: { pending: false },
  },
  {
    rule: 'an edit that arrives with exactly the content held here is no conflict',
    facts: item({ pending: true, sameContent: true }),
    decision: 'alike',
    pivot: { sameContent: false },
  },
  {
    rule: 'a push whose answer was lost: the device’s own write coming back is not taken for another device’s edit',
    facts: item({ pending: true, ownEcho: true }),
    decision: 'own-echo',
    pivot: { ownEcho: false },
  },
  {
    rule: 'deleted on one device and edited on another: the edit is kept, sealed again above the last version the deleting device saw',
    facts: item({ deleted: true, ver: 7, pending: true }),
    decision: 'keep-edit',
    pivot: { pending: false },
  },
  {
    rule: 'a safe’s deletion is sealed when it is made (its key goes with it): it takes the safe, renamed here or not',
    facts: item({ rules: safe, deleted: true, ver: 7, pending: true }),
    decision: 'take-deletion',
    pivot: { rules: secret },
  },
  {
    rule: 'a personal override changed on two devices: kept twice the same way',
    facts: item({ rules: override, pending: true, sameContent: false }),
    decision: 'conflict',
    pivot: { pending: false },
  },
  {
    rule: 'the same override value and on/off sent from two devices (one choice made on both at once): taken, nothing to choose',
    facts: item({ rules: override, pending: true, sameContent: true }),
    decision: 'alike',
    pivot: { sameContent: false },
  },
  {
    rule: 'a safe or environment renamed on two devices: the last to sync wins, sealed again above the other’s version',
    facts: item({ rules: environment, pending: true }),
    decision: 'keep-mine',
    pivot: { rules: secret },
  },
  {
    rule: 'a safe renamed here and there: this device’s name wins even over the server’s copy of its own',
    facts: item({ rules: safe, pending: true, sameBytes: true, ver: 5 }),
    decision: 'keep-mine',
    pivot: { pending: false },
  },
  {
    rule: 'a hostile server cannot move a secret to another environment: refused, and it stays where it was',
    facts: item({ moved: true }),
    decision: 'refuse-damaged',
    pivot: { moved: false },
  },
  {
    rule: 'a hostile server cannot swap two items’ ciphertexts: both refused, neither value changes',
    facts: item({ opens: false, pending: true }),
    decision: 'refuse-damaged',
    pivot: { opens: true },
  },
  {
    rule: 'a hostile server cannot unmark Production, not even with another environment’s genuine flags',
    facts: item({ rules: environment, opens: false }),
    decision: 'refuse-damaged',
    pivot: { opens: true },
  },
  {
    rule: 'a hostile server cannot replay an old version of a record a device holds',
    facts: item({ ver: 3, pending: true }),
    decision: 'refuse-older',
    pivot: { ver: 9 },
  },
  {
    rule: 'a hostile server cannot roll a record back through a deletion',
    facts: item({ deleted: true, ver: 5 }),
    decision: 'refuse-older',
    pivot: { ver: 6 },
  },
  {
    rule: 'a hostile server cannot bring back a record deleted for real, on the device that deleted it (its deletion still waiting)',
    facts: item({ held: undefined, goneAt: 9, ver: 8 }),
    decision: 'refuse-resurrection',
    pivot: { ver: 10 },
  },
  {
    rule: 'the very copy held here is no news: only its revision is noted',
    facts: item({ sameBytes: true, ver: 5, pending: true }),
    decision: 'same-copy',
    pivot: { sameBytes: false },
  },
  {
    rule: 'a page seen again (a cursor gone back, a second worker) changes nothing, not even an old deletion',
    facts: item({ deleted: true, revision: 10 }),
    decision: 'already-have',
    pivot: { revision: 11 },
  },
  {
    rule: 'a deletion of a record this device does not hold changes nothing',
    facts: item({ deleted: true, held: undefined }),
    decision: 'already-gone',
    pivot: { deleted: false },
  },
  {
    rule: 'the override of a secret deleted here: no choice can be asked, the server’s copy is taken',
    facts: item({ rules: override, pending: true, ownerGone: true }),
    decision: 'take',
    pivot: { ownerGone: false },
  },
  {
    rule: 'a value that replaces one held here is opened before it does',
    facts: item({ opens: undefined }),
    decision: 'open-first',
    pivot: { opens: true },
  },
  {
    rule: 'the same content is told only by opening the copy held here, and only for an edit waiting here',
    facts: item({ pending: true, sameContent: undefined }),
    decision: 'compare-first',
    pivot: { pending: false },
  },
];

/** A push's write of a secret refused as stale, the server holding another device's newer copy. */
const answer = (f: Partial<AnswerFacts> = {}): AnswerFacts => ({
  rules: secret,
  ok: false,
  sentDeletion: false,
  theirs: { deleted: false, ver: 6, exactlySent: false, sentHere: false },
  queued: { deleted: false, ver: 0 },
  held: { ver: 6, seen: 5 },
  changedSince: false,
  sameContent: false,
  ...f,
});
const theirs = (t: Partial<NonNullable<AnswerFacts['theirs']>>) => ({ ...answer().theirs!, ...t });

const answers: { rule: string; facts: AnswerFacts; decision: AnswerDecision; pivot: Partial<AnswerFacts> }[] = [
  {
    rule: 'a stale write comes back as a conflict carrying the server copy, never overwrites silently: both kept',
    facts: answer(),
    decision: 'conflict',
    pivot: { ok: true },
  },
  {
    rule: 'a push answered with a conflict whose copy is at or below the version this device has seen: a replay, refused',
    facts: answer({ theirs: theirs({ ver: 5 }) }),
    decision: 'refuse-replay',
    pivot: { theirs: theirs({ ver: 6 }) },
  },
  {
    rule: 'a hostile server cannot make a device take an old copy through a conflict, nor make it push in a loop',
    facts: answer({ rules: environment, theirs: theirs({ ver: 2 }) }),
    decision: 'refuse-replay',
    pivot: { held: { ver: 6, seen: 1 } },
  },
  {
    rule: 'a push whose answer was lost: each push notes what it sends, so its own write coming back is no conflict',
    facts: answer({ theirs: theirs({ sentHere: true }) }),
    decision: 'own-earlier-echo',
    pivot: { theirs: theirs({ sentHere: false }) },
  },
  {
    rule: 'a push whose answer was lost: the very write this push sent, held by the server',
    facts: answer({ theirs: theirs({ exactlySent: true, ver: 5 }) }),
    decision: 'own-echo',
    pivot: { theirs: theirs({ exactlySent: false, ver: 5 }) },
  },
  {
    rule: 'a push answered with a copy of the same content is taken',
    facts: answer({ sameContent: true }),
    decision: 'alike',
    pivot: { changedSince: true },
  },
  {
    rule: 'deleted on one device and edited on another: the edit is kept, sealed again above the last version the deleting device saw',
    facts: answer({ theirs: theirs({ deleted: true, ver: 7 }) }),
    decision: 'edit-above-deletion',
    pivot: { theirs: theirs({ deleted: true, ver: 5 }) },
  },
  {
    rule: 'deleted on one device and edited on another: on the deleting device the edit wins and comes back',
    facts: answer({ sentDeletion: true, queued: { deleted: true, ver: 5 } }),
    decision: 'edit-beats-deletion',
    pivot: { queued: { deleted: true, ver: 6 } },
  },
  {
    rule: 'a deletion refused on its own earlier echo is sent again, not undone',
    facts: answer({ sentDeletion: true, queued: { deleted: true, ver: 5 }, theirs: theirs({ sentHere: true }) }),
    decision: 'deletion-again',
    pivot: { theirs: theirs({ sentHere: false }) },
  },
  {
    rule: 'a deletion the server already has leaves nothing to send',
    facts: answer({ sentDeletion: true, theirs: theirs({ deleted: true }) }),
    decision: 'deletion-done',
    pivot: { theirs: theirs({ deleted: false }), queued: { deleted: true, ver: 9 } },
  },
  {
    rule: 'deleted forever: written over the deletion it erases (the server frees what it kept)',
    facts: answer({ sentDeletion: true, queued: { deleted: true, ver: 4, erase: 5 }, theirs: theirs({ deleted: true, ver: 5 }) }),
    decision: 'deletion-again',
    pivot: { queued: { deleted: true, ver: 4 } },
  },
  {
    rule: 'deleted forever on two devices: the one that meets the other’s has nothing to send',
    facts: answer({ sentDeletion: true, queued: { deleted: true, ver: 4, erase: 5 }, theirs: theirs({ deleted: true, ver: 6 }) }),
    decision: 'deletion-done',
    pivot: { theirs: theirs({ deleted: true, ver: 5 }) },
  },
  {
    rule: 'deleted forever before the deletion was sent: an edit made elsewhere that the user never saw still beats it',
    facts: answer({ sentDeletion: true, queued: { deleted: true, ver: 4, erase: 5 }, theirs: theirs({ ver: 5 }) }),
    decision: 'edit-beats-deletion',
    pivot: { theirs: theirs({ ver: 4 }) },
  },
  {
    rule: 'a personal override changed on two devices: kept twice the same way',
    facts: answer({ rules: override }),
    decision: 'conflict',
    pivot: { ownerGone: true },
  },
  {
    rule: 'the same override value and on/off pushed from two devices (one choice made on both at once): taken, nothing to choose',
    facts: answer({ rules: override, sameContent: true }),
    decision: 'alike',
    pivot: { sameContent: false },
  },
  {
    rule: 'the override of a secret deleted here since: this device’s copy goes, the server’s comes back',
    facts: answer({ rules: override, ownerGone: true }),
    decision: 'owner-gone',
    pivot: { ownerGone: false },
  },
  {
    rule: 'a safe or environment renamed on two devices: the last to sync wins, sealed again above the other’s version',
    facts: answer({ rules: safe }),
    decision: 'keep-mine',
    pivot: { rules: secret },
  },
  {
    rule: 'a write the server has no copy of is sent whole',
    facts: answer({ theirs: undefined }),
    decision: 'send-whole',
    pivot: { theirs: theirs({}) },
  },
  {
    rule: 'a write taken by the server takes its revision',
    facts: answer({ ok: true }),
    decision: 'accepted',
    pivot: { ok: false },
  },
];

describe('what a device does with an item from the server', () => {
  it.each(incoming)('$rule', ({ facts, decision, pivot }) => {
    expect(decideIncoming(facts)).toBe(decision);
    expect(decideIncoming({ ...facts, ...pivot })).not.toBe(decision);
  });
});

describe('what a device does with the answer to its push', () => {
  it.each(answers)('$rule', ({ facts, decision, pivot }) => {
    expect(decideAnswer(facts)).toBe(decision);
    expect(decideAnswer({ ...facts, ...pivot })).not.toBe(decision);
  });
});

/** Another device's live mark on a secret held here at version 5, against the server copy's version 5. */
const mark = (f: Partial<MarkFacts> = {}): MarkFacts => ({
  held: true,
  deleted: false,
  ver: 6,
  revision: 30,
  conflictHere: false,
  pending: false,
  opens: true,
  against: 5,
  heldVer: 5,
  ...f,
});

const marks: { rule: string; facts: MarkFacts; decision: MarkDecision; pivot: Partial<MarkFacts> }[] = [
  {
    rule: 'every other device that holds that version (or an older one) and no edit of its own shows the conflict',
    facts: mark(),
    decision: 'show',
    pivot: { pending: true },
  },
  {
    rule: 'a device with an edit of its own meets the conflict with its push, not from a mark',
    facts: mark({ pending: true }),
    decision: 'nothing',
    pivot: { pending: false },
  },
  {
    rule: 'a mark whose server copy is older than the one a device holds (a mark settled since, replayed) is ignored',
    facts: mark({ against: 4 }),
    decision: 'ignore-older',
    pivot: { against: 5 },
  },
  {
    rule: 'one whose `mark` seal does not open is refused as damaged',
    facts: mark({ opens: false }),
    decision: 'refuse-damaged',
    pivot: { opens: true },
  },
  {
    rule: 'a hostile server cannot show a conflict on a secret of another safe',
    facts: mark({ moved: true }),
    decision: 'refuse-damaged',
    pivot: { moved: false },
  },
  {
    rule: 'settling one that carries a mark sends a sealed deletion of the mark: the others end their view',
    facts: mark({ deleted: true, conflictHere: true, mark: { from: 'there', ver: 6, revision: 30 } }),
    decision: 'end-view',
    pivot: { mark: { from: 'here', ver: 6, revision: 30 } },
  },
  {
    rule: 'the finder then drops its held edit for the copy the choice sent',
    facts: mark({ deleted: true, conflictHere: true, mark: { from: 'here', ver: 6, revision: 30 } }),
    decision: 'settle',
    pivot: { ver: 7 },
  },
  {
    rule: 'a mark’s deletion that does not open (one no device made) is refused',
    facts: mark({ deleted: true, opens: false, mark: { from: 'there', ver: 6, revision: 30 } }),
    decision: 'refuse-damaged',
    pivot: { opens: true },
  },
  {
    rule: 'a mark already shown here is not shown again from an older revision',
    facts: mark({ conflictHere: true, mark: { from: 'there', ver: 6, revision: 30 } }),
    decision: 'nothing',
    pivot: { revision: 31 },
  },
  {
    rule: 'a mark of a secret this device does not hold shows nothing',
    facts: mark({ held: false }),
    decision: 'nothing',
    pivot: { held: true },
  },
];

describe('what a device does with a conflict’s mark', () => {
  it.each(marks)('$rule', ({ facts, decision, pivot }) => {
    expect(decideMark(facts)).toBe(decision);
    expect(decideMark({ ...facts, ...pivot })).not.toBe(decision);
  });
});

const listed = (ver: number, deleted = false): Entry => ({ kind: 'secret', envId: 'e', ver, deleted });

describe('what a safe’s manifest says of what the server gave', () => {
  it.each([
    {
      rule: 'an item the list names that never came is withheld',
      entry: listed(4),
      held: undefined,
      finding: 'withheld',
      pivot: { ver: 4, deleted: false },
    },
    {
      rule: 'one given below the list’s version is stale',
      entry: listed(4),
      held: { ver: 3, deleted: false },
      finding: 'stale',
      pivot: { ver: 4, deleted: false },
    },
    {
      rule: 'one given back live after the list’s deletion is brought back',
      entry: listed(4, true),
      held: { ver: 3, deleted: false },
      finding: 'resurrected',
      pivot: { ver: 3, deleted: true },
    },
    {
      rule: 'an item written after the list says nothing (a lagging list raises no false alarm)',
      entry: listed(4),
      held: { ver: 5, deleted: false },
      finding: undefined,
      pivot: { ver: 3, deleted: false },
    },
  ])('$rule', ({ entry, held, finding, pivot }) => {
    expect(compare(entry, held)).toBe(finding);
    expect(compare(entry, pivot)).not.toBe(finding);
  });

  it('two devices writing one safe at once: the device that meets the other’s list merges both (per item, the higher version)', () => {
    const mine = new Map([
      ['a', listed(3)],
      ['b', listed(2)],
    ]);
    const theirs = new Map([
      ['a', listed(2)],
      ['b', listed(2, true)],
      ['c', listed(1)],
    ]);
    expect(Object.fromEntries(merge(mine, theirs))).toEqual({ a: listed(3), b: listed(2, true), c: listed(1) });
  });
});
