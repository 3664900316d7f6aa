// What a device does with what the sync server says, as pure functions of what it knows: for an
// incoming item (the item, the record held here, an edit waiting here, what was seen) and for the
// answer to a push (what was sent, the server's copy, the record now), and for a conflict's mark. No
// IndexedDB, no crypto, no clock: the callers (apply.ts, apply-containers.ts, outbound.ts,
// conflict-marks.ts) gather the facts, opening ciphertexts
// only when a decision asks for it, and carry out the decision. One ladder for every kind; a kind's
// own rules come from its entry in kinds.ts. The rules are docs/architecture.md's "Sync", each a row
// of tests/unit/sync/decide.test.ts.
import type { Outcome } from './apply-rules';
import type { OnBothEdited, OnDeletedThere } from './kinds';

/** The rules of a kind the ladders follow (its kinds.ts entry). */
export interface KindRules {
  onBothEdited: OnBothEdited;
  onDeletedThere: OnDeletedThere;
  /** Same content sent from two devices is no conflict (alike.ts): secrets. */
  comparesContent?: boolean;
}

/** The record this device holds of an item: the revision it is based on, and the highest version the server has shown. */
export interface Held {
  rev?: number;
  seen?: number;
}

/** What a device knows of one item from the server when it decides. */
export interface IncomingFacts {
  rules: KindRules;
  /** The server's revision of the item. */
  revision: number;
  deleted: boolean;
  /** The version it claims (a deletion's own version); 0 when it claims none. */
  ver: number;
  held?: Held;
  /** Its shape is wrong (no Keysmith wrote it): fields missing, not base64, a bad id or version. */
  malformed?: boolean;
  /** The record held here is in another safe or environment than the item claims (or, for a safe, under another key). */
  moved?: boolean;
  /** The highest version this device saw of the record before it was deleted (the `gone` log, or a deletion waiting to be sent). */
  goneAt?: number;
  /** Its safe (for an environment) is not here yet. */
  safeMissing?: boolean;
  /** An edit of it waits here to be sent (a deletion waiting is `goneAt`, not this). */
  pending: boolean;
  /** The record it belongs to (an override's secret) was deleted here: no choice can be asked about it. */
  ownerGone?: boolean;
  /** Learned by opening. Every ciphertext (or a deletion's seal) opens with the binding of the place it claims; undefined: not opened yet. */
  opens?: boolean;
  /** It is the very ciphertext held here. */
  sameBytes?: boolean;
  /** Its sealing is one this device sent, whose answer was lost (the `sent` log). */
  ownEcho?: boolean;
  /** Opened, it says what the copy held here says; undefined: not compared yet. */
  sameContent?: boolean;
}

/** What to do with an incoming item. */
export type IncomingDecision =
  /** Open its ciphertexts (or its deletion's seal) and decide again with `opens`. */
  | 'open-first'
  /** Open the copy held here and decide again with `sameContent`. */
  | 'compare-first'
  /** This revision, or a later one, is here already (a page seen again): nothing to do. */
  | 'already-have'
  /** A deletion of a record not here: nothing to do. */
  | 'already-gone'
  /** Its safe has not arrived yet: it waits for the next page. */
  | 'wait'
  /** Its shape is wrong: damaged, never used. */
  | 'refuse-malformed'
  /** It does not open where it claims to be, or claims another place than the record held here: damaged, never used. */
  | 'refuse-damaged'
  /** Its version is at or below one the server has shown this device: a replayed old copy, refused. */
  | 'refuse-older'
  /** A copy of a record deleted here, at or below the version this device saw: kept by the server, refused. */
  | 'refuse-resurrection'
  /** The very copy held here: only its revision is noted. */
  | 'same-copy'
  | 'take'
  | 'take-deletion'
  /** This device's own earlier write, whose answer was lost: the edit made since goes on top of it. */
  | 'own-echo'
  /** The same content as the edit waiting here (one choice made on two devices): taken, nothing left to send or choose. */
  | 'alike'
  /** Edited here and there: both kept until the user chooses. */
  | 'conflict'
  /** Renamed here and there: this device's copy stays, sealed again above the server's version. */
  | 'keep-mine'
  /** Deleted there, edited here: the edit stays, sealed again above the deletion. */
  | 'keep-edit';

/** The count each decision adds to a pull's result. */
export const OUTCOME_OF: Record<Exclude<IncomingDecision, 'open-first' | 'compare-first'>, Outcome> = {
  'already-have': 'same',
  'already-gone': 'applied',
  wait: 'deferred',
  'refuse-malformed': 'malformed',
  'refuse-damaged': 'does_not_open',
  'refuse-older': 'older_version',
  'refuse-resurrection': 'older_version',
  'same-copy': 'same',
  take: 'applied',
  'take-deletion': 'applied',
  'own-echo': 'same',
  alike: 'applied',
  conflict: 'conflict',
  'keep-mine': 'same',
  'keep-edit': 'same',
};

/** The count a final decision adds to a pull's result (one that asks for a fact first is none: a caller's bug). */
export function outcomeOf(decision: IncomingDecision): Outcome {
  if (decision === 'open-first' || decision === 'compare-first') throw new Error(`undecided: ${decision}`);
  return OUTCOME_OF[decision];
}

/** Only what the server has shown counts: an edit waiting here carries its own `ver`, and another device's may carry the same. */
const notAboveSeen = (held: Held | undefined, ver: number) => held?.seen !== undefined && ver <= held.seen;

/** same → older → own echo → alike → conflict → take, for every kind; deletions, a moved record and a missing safe first. */
export function decideIncoming(f: IncomingFacts): IncomingDecision {
  const { held } = f;
  // A page seen again (a cursor that went back, a second worker): a deletion carries no revision
  // of its own to compare, so this is also what keeps an old deletion from removing a record that came back.
  if (held?.rev !== undefined && f.revision <= held.rev) return 'already-have';
  const pending = f.pending && !f.ownerGone && held !== undefined;
  if (f.deleted) {
    if (!held) return 'already-gone';
    if (f.opens === undefined) return 'open-first';
    if (!f.opens) return 'refuse-damaged'; // a deletion no device of the account made, or one made before deletions were sealed
    if (notAboveSeen(held, f.ver)) return 'refuse-older';
    if (pending && f.rules.onDeletedThere === 'edit-wins') return 'keep-edit';
    return 'take-deletion';
  }
  if (f.malformed) return 'refuse-malformed';
  if (f.moved) return 'refuse-damaged';
  if (!held && f.ver <= (f.goneAt ?? 0)) return 'refuse-resurrection';
  if (f.safeMissing) return 'wait';
  if (f.opens === undefined) return 'open-first';
  if (!f.opens) return 'refuse-damaged';
  if (f.rules.onBothEdited === 'mine-above') {
    // A name: the same bytes count as the same version only once the server has shown one.
    if (notAboveSeen(held, f.ver) && !f.sameBytes) return 'refuse-older';
    if (pending) return 'keep-mine';
    return f.sameBytes && held?.seen !== undefined ? 'same-copy' : 'take';
  }
  if (held && f.sameBytes) return 'same-copy';
  if (notAboveSeen(held, f.ver)) return 'refuse-older';
  if (pending && f.ownEcho) return 'own-echo';
  if (pending && f.rules.comparesContent) {
    if (f.sameContent === undefined) return 'compare-first';
    if (f.sameContent) return 'alike';
  }
  if (pending) return 'conflict';
  return 'take';
}

/** What a device knows of the server's answer to one write of a push. */
export interface AnswerFacts {
  rules: KindRules;
  /** The server took the write. */
  ok: boolean;
  /** The write was a deletion. */
  sentDeletion: boolean;
  /** The server's copy, when it refused the write as stale (none: it holds no copy). */
  theirs?: {
    deleted: boolean;
    /** The version it claims; 0 when it claims none. */
    ver: number;
    /** Field for field what this push sent. */
    exactlySent: boolean;
    /** A sealing this device sent in an earlier push whose answer was lost. */
    sentHere: boolean;
  };
  /**
   * The outbox entry now (the user may have edited or deleted again while the push was on the wire);
   * for a deletion forever, `erase` is the version of the deletion it erases.
   */
  queued?: { deleted: boolean; ver: number; erase?: number };
  /** The record now, if still here. */
  held?: { ver?: number; seen?: number };
  /** The record is no longer the version sent. */
  changedSince: boolean;
  /** The record it belongs to (an override's secret) was deleted here since. */
  ownerGone?: boolean;
  /** The server's copy opens here and says what this device holds (alike.ts). */
  sameContent?: boolean;
}

export type AnswerDecision =
  /** Taken: the record takes the new revision; its entry goes unless it changed meanwhile. */
  | 'accepted'
  /** A deletion the server already has (or whose item it does not hold): nothing left to send. */
  | 'deletion-done'
  /** A deletion refused on a copy this device saw (or sent): sent again on the server's revision. */
  | 'deletion-again'
  /** Edited elsewhere after this device last saw it: the edit wins, the deletion goes, the server's copy is taken in. */
  | 'edit-beats-deletion'
  /** Nothing to do (the record or its deletion changed meanwhile, or is gone). */
  | 'nothing'
  /** The server has no copy: the record is sent whole. */
  | 'send-whole'
  /** Deleted there, edited here, the edit already numbered above the deletion: rebased on it. */
  | 'rebase-on-deletion'
  /** Deleted there, edited here: the edit is sealed again above the last version the deleter saw. */
  | 'edit-above-deletion'
  /** The server holds exactly this write (its answer was lost on the way). */
  | 'own-echo'
  /** The server holds an earlier write of this device: rebased on it, the edit made since goes on top. */
  | 'own-earlier-echo'
  /** A copy at or below one this device has seen, answered as another device's edit: a replay, refused; the edit stays queued. */
  | 'refuse-replay'
  /** An override whose secret was deleted here: this device's copy and edit go, the server's comes back. */
  | 'owner-gone'
  /** The same content sent from two devices: taken, nothing to choose. */
  | 'alike'
  | 'conflict'
  /** Renamed on both sides: this device's copy stays, sealed again above the server's version. */
  | 'keep-mine';

export function decideAnswer(f: AnswerFacts): AnswerDecision {
  const { theirs, held } = f;
  if (f.ok) return 'accepted';
  if (f.sentDeletion) {
    // Deleted forever: written over the deletion it erases, not over a later one.
    if (theirs?.deleted && f.queued?.erase !== undefined && theirs.ver <= f.queued.erase) return 'deletion-again';
    if (!theirs || theirs.deleted) return 'deletion-done';
    if (!f.queued?.deleted) return 'nothing';
    return theirs.ver <= f.queued.ver || theirs.sentHere ? 'deletion-again' : 'edit-beats-deletion';
  }
  if (!held) return 'nothing';
  if (!theirs) return 'send-whole';
  if (theirs.deleted) return theirs.ver >= (held.ver ?? 0) ? 'edit-above-deletion' : 'rebase-on-deletion';
  if (theirs.exactlySent) return 'own-echo';
  if (theirs.sentHere) return 'own-earlier-echo';
  if (theirs.ver <= (held.seen ?? 0)) return 'refuse-replay';
  if (f.ownerGone) return 'owner-gone';
  if (f.rules.comparesContent && f.sameContent && !f.changedSince) return 'alike';
  return f.rules.onBothEdited === 'keep-both' ? 'conflict' : 'keep-mine';
}

/** What a device knows of a conflict's mark from the server (conflict-marks.ts) when it decides. */
export interface MarkFacts {
  /** Its id is not `<secret id>.conflict`. */
  malformed?: boolean;
  /** The secret it speaks of is here. */
  held: boolean;
  /** The item claims another safe than the secret held here, or that safe's key does not open here. */
  moved?: boolean;
  deleted: boolean;
  /** Learned by opening: the mark's seal and its copy of the secret (or the deletion's seal) open where it claims; undefined: not opened yet. */
  opens?: boolean;
  /** A deletion's own version (the mark's version it deletes). */
  ver: number;
  /** The server's revision of the mark. */
  revision: number;
  /** The mark this device holds for the secret's conflict, if any: its own (`here`) or shown from another device's (`there`). */
  mark?: { from: 'here' | 'there'; ver: number; revision: number };
  /** A choice about the secret is open here. */
  conflictHere: boolean;
  /** An edit of the secret waits here (its push will meet the conflict itself). */
  pending: boolean;
  /** The version of the server's copy the mark says it conflicts with. */
  against?: number;
  /** The highest version of the secret this device holds or has seen. */
  heldVer: number;
}

export type MarkDecision =
  | 'open-first'
  | 'refuse-malformed'
  | 'refuse-damaged'
  /** Nothing to show or end: no secret here, a mark for a view this device does not show, one it already shows, or its own. */
  | 'nothing'
  /** A mark whose server copy is older than the one held here: settled since, or replayed. Ignored. */
  | 'ignore-older'
  /** Show the conflict another device found, until it is settled. */
  | 'show'
  /** The mark's deletion for the view shown here: the view ends. */
  | 'end-view'
  /** The mark's deletion for this device's own conflict: the choice made elsewhere is taken. */
  | 'settle';

export const MARK_OUTCOME_OF: Record<Exclude<MarkDecision, 'open-first'>, Exclude<Outcome, 'deferred'>> = {
  'refuse-malformed': 'malformed',
  'refuse-damaged': 'does_not_open',
  nothing: 'same',
  'ignore-older': 'same',
  show: 'conflict',
  'end-view': 'applied',
  settle: 'applied',
};

export function decideMark(f: MarkFacts): MarkDecision {
  if (f.malformed) return 'refuse-malformed';
  if (!f.held) return 'nothing';
  if (f.moved) return 'refuse-damaged';
  if (f.deleted) {
    if (f.opens === undefined) return 'open-first';
    if (!f.opens) return 'refuse-damaged'; // a deletion no device of the account made
    if (!f.mark || f.mark.ver !== f.ver) return 'nothing';
    return f.mark.from === 'there' ? 'end-view' : 'settle';
  }
  if (f.conflictHere && (f.mark?.from !== 'there' || f.mark.revision >= f.revision)) return 'nothing';
  if (f.pending) return 'nothing';
  if (f.opens === undefined) return 'open-first';
  if (!f.opens) return 'refuse-damaged';
  if (f.against === undefined || f.against < f.heldVer) return 'ignore-older';
  return 'show';
}
