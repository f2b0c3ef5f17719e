import type { Capability } from '../../../shared/capabilities';
import type { DetectContext, Span } from '../../core/rule';
import { mcpMetadataOf } from '../mcp/extract';
import { capabilitiesOf } from './index';

/**
 * The "lethal trifecta" of a server: tools that together give access to private data, expose the model to content
 * someone else wrote, and offer a channel out. A prompt injected through the second can make the model read with the
 * first and leak through the third, even when each tool is correct on its own.
 *
 * Each tool is classified from what its code does (the capability inventory) and from the words of its name and
 * description, since many tools wrap an API whose nature the code does not show (`read_email` calls `gmail.get`).
 * The words are deliberately narrow: a tool counts for a leg only when its name says so in a verb–object shape or its
 * code has the capability, so an ordinary API wrapper does not complete a trifecta by vocabulary alone.
 */

/** One leg of the trifecta. */
export type Leg = 'private' | 'untrusted' | 'outward';

/** A tool as the trifecta sees it. */
export interface ClassifiedTool {
  /** The tool's name. */
  tool: string;
  /** Where it is registered. */
  registration: Span;
  /** The legs it covers, each with the reason (a capability or the words that decided). */
  legs: Map<Leg, string>;
}

/** Three distinct tools, one per leg. */
export interface Trifecta {
  /** The server (declared name, else the file). */
  server: string;
  /** The tool that reaches private data. */
  private: ClassifiedTool;
  /** The tool that brings untrusted content in. */
  untrusted: ClassifiedTool;
  /** The tool that sends data out. */
  outward: ClassifiedTool;
}

/** Capabilities that count for each leg by themselves. */
const LEG_CAPABILITIES: Record<Leg, Capability[]> = {
  private: ['file-read', 'sql', 'env-credentials'],
  untrusted: [],
  outward: ['send-data'],
};

/** Reading verbs, and the private things they read. */
const READ_VERB = /^(?:read|get|list|search|find|query|fetch|download|export|view|show|retrieve|lookup)$/;
const PRIVATE_THING =
  /^(?:emails?|mails?|inbox|messages?|dms?|threads?|chats?|calendars?|contacts?|files?|documents?|docs?|notes?|drive|folders?|directory|records?|customers?|users?|accounts?|passwords?|secrets?|credentials?|tables?|database|rows?|sql|contents?)$/;
/** Things whose content someone outside wrote. */
const UNTRUSTED_THING =
  /^(?:url|urls|web|webpage|page|pages|website|site|html|browser|emails?|mails?|inbox|messages?|issues?|comments?|pr|prs|pull|tweets?|posts?|feed|rss|transcript|reviews?|tickets?|search)$/;
const UNTRUSTED_VERB = /^(?:fetch|browse|scrape|crawl|navigate|visit|open|read|get|search|list)$/;
/** Verbs that put data where others can read it, and what they create that others read. */
const OUTWARD_VERB = /^(?:send|post|publish|upload|share|reply|forward|notify|tweet|comment|email|mail|push|webhook)$/;
const OUTWARD_THING =
  /^(?:issues?|comments?|pr|pull|gist|messages?|posts?|pages?|emails?|mails?|tweets?|reply|webhook)$/;
const CREATE_VERB = /^(?:create|open|new|write)$/;

/** The words of a tool name: `read_email`, `readEmail`, `read-email` → read, email. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Prepositions that end a tool name's object: `get_release_rating_by_user` reads a rating, not a user. */
const PREPOSITION = /^(?:by|for|from|of|in|on|at|with|to|per|via|into|about)$/;

/**
 * The object a tool name reads: the words after the verb up to the first preposition. Its last word is the head
 * noun, what the tool returns; the words before it only qualify it (`get_user_profile` reads a profile,
 * `get_user_collection_folders` reads folders of a record collection, `read_email` reads an e-mail).
 */
function objectWords(words: readonly string[]): { head: string | undefined; all: string[] } {
  const all: string[] = [];
  for (const w of words.slice(1)) {
    if (PREPOSITION.test(w)) break;
    all.push(w);
  }
  return { head: all[all.length - 1], all };
}

/**
 * Head nouns that name private data only when no other noun qualifies them: `list_folders` of a drive or a mailbox
 * is private, a `collection_folder` of a public record collection or a `release_rating` is catalogue data.
 */
const BARE_PRIVATE = /^(?:folders?|directory|records?|tables?|rows?|contents?|users?|accounts?)$/;

/** The private thing a tool name reads (its head noun), when there is one. */
function privateThing(words: readonly string[]): string | undefined {
  const { head, all } = objectWords(words);
  if (!head || !PRIVATE_THING.test(head)) return undefined;
  // A qualified container word is private only when a qualifier says so too (`file_contents`, `email_threads`).
  const qualifiers = all.slice(0, -1);
  if (
    BARE_PRIVATE.test(head) &&
    qualifiers.length &&
    !qualifiers.some((w) => PRIVATE_THING.test(w) && !BARE_PRIVATE.test(w))
  )
    return undefined;
  return head;
}

/** The legs a tool's name covers, with the words that decided. */
function legsByName(name: string): Map<Leg, string> {
  const words = nameWords(name);
  const out = new Map<Leg, string>();
  const verb = words[0] ?? '';
  const things = words.slice(1);
  const has = (re: RegExp) => things.find((w) => re.test(w));
  const secret = READ_VERB.test(verb) ? privateThing(words) : undefined;
  if (secret) out.set('private', `its name reads ${secret}`);
  if (UNTRUSTED_VERB.test(verb) && has(UNTRUSTED_THING)) out.set('untrusted', `its name reads ${has(UNTRUSTED_THING)}`);
  else if (/^(?:fetch|browse|scrape|crawl|navigate)$/.test(verb)) out.set('untrusted', `its name says ${verb}`);
  if (OUTWARD_VERB.test(verb)) out.set('outward', `its name says ${verb}`);
  else if (CREATE_VERB.test(verb) && has(OUTWARD_THING)) out.set('outward', `its name creates ${has(OUTWARD_THING)}`);
  return out;
}

/** Every tool of the document, classified (tools listed without a handler here count by their names). */
export function classifyTools(ctx: DetectContext): ClassifiedTool[] {
  const byName = new Map<string, ClassifiedTool>();
  for (const e of mcpMetadataOf(ctx).entities) {
    if (e.kind !== 'tool' || !e.name || byName.has(e.name.value)) continue;
    byName.set(e.name.value, {
      tool: e.name.value,
      registration: { start: e.name.start, end: e.name.end },
      legs: legsByName(e.name.value),
    });
  }
  for (const t of capabilitiesOf(ctx)) {
    // A tool registered in another file belongs to that file's server: its legs do not join this file's tools.
    if (t.registeredIn) continue;
    let c = byName.get(t.tool);
    if (!c) {
      c = { tool: t.tool, registration: t.registration, legs: legsByName(t.tool) };
      byName.set(t.tool, c);
    }
    for (const leg of ['private', 'untrusted', 'outward'] as const) {
      const use = t.uses.find((u) => LEG_CAPABILITIES[leg].includes(u.capability));
      if (use && !c.legs.has(leg))
        c.legs.set(leg, `its code ${use.capability === 'send-data' ? 'sends data out' : `uses ${use.api}`}`);
    }
    // A URL chosen by the caller is both a door in (the page it fetches) and a way out (what the URL carries).
    const free = t.uses.find((u) => (u.capability === 'network' || u.capability === 'send-data') && u.control);
    if (free) {
      if (!c.legs.has('untrusted')) c.legs.set('untrusted', 'it fetches a URL the caller chooses');
      if (!c.legs.has('outward')) c.legs.set('outward', 'it requests a URL the caller chooses');
    }
  }
  return [...byName.values()];
}

/** The document's trifecta: the first three distinct tools, in registration order, that cover one leg each. */
export function trifectaOf(ctx: DetectContext): Trifecta | undefined {
  return ctx.memo('capabilities:trifecta', () => {
    const tools = classifyTools(ctx);
    const of = (leg: Leg) => tools.filter((t) => t.legs.has(leg));
    const [p, u, o] = [of('private'), of('untrusted'), of('outward')];
    for (const a of p)
      for (const b of u) {
        if (b === a) continue;
        for (const c of o) {
          if (c === a || c === b) continue;
          const meta = mcpMetadataOf(ctx);
          return { server: meta.serverNames[0]?.value || ctx.path, private: a, untrusted: b, outward: c };
        }
      }
    return undefined;
  });
}
