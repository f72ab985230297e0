// Why a moment fired, in numbers and words a person can check against the chat.
import { normalise } from './chat-filter.ts';
import { ChatterTable, EMPTY } from './chatter-table.ts';
import type { MomentExplanation, Ranked, Signal } from './moment.ts';
import type { MomentSecond } from './recent-seconds.ts';

export interface MomentRates {
  /** The test that fired, with its count per second at the peak and normally. */
  signal: Signal;
  signalRate: number;
  baselineSignalRate: number;
  rate: number;
  baselineRate: number;
  chattersRate: number;
  baselineChattersRate: number;
}

const TOP = 5;
const SAMPLES = 3;

export function explainMoment(seconds: MomentSecond[], rates: MomentRates): MomentExplanation {
  const chatters = scratchChatters;
  chatters.empty();
  let uniqueChatters = 0;
  const emotes = new Map<string, number>();
  const phrases = new Map<string, { count: number; text: string }>();
  // Every text and its normalised form, in order: the samples are picked from them again.
  const texts: string[] = [];
  const keys: string[] = [];
  let messages = 0;
  for (const { reactions, details } of seconds) {
    messages += reactions;
    for (const chatter of details.reactors) {
      if (chatters.put(chatter, 0) === EMPTY) uniqueChatters += 1;
    }
    details.forEachEmote((name, count) => emotes.set(name, (emotes.get(name) ?? 0) + count));
    for (const text of details.texts) {
      const key = normalise(text);
      texts.push(text);
      keys.push(key);
      const phrase = phrases.get(key);
      if (phrase) phrase.count += 1;
      else phrases.set(key, { count: 1, text });
    }
  }
  const topEmotes = rank(emotes);
  const topPhrases = [...phrases.values()]
    .filter((phrase) => phrase.count >= 2)
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
    .slice(0, TOP)
    .map(({ text, count }) => ({ name: text, count }));
  const explanation = {
    signal: rates.signal,
    rate: round1(rates.rate),
    baseline_rate: round1(rates.baselineRate),
    chatters_rate: round1(rates.chattersRate),
    baseline_chatters_rate: round1(rates.baselineChattersRate),
    unique_chatters: uniqueChatters,
    messages,
    top_emotes: topEmotes,
    top_phrases: topPhrases,
    samples: pickSamples(texts, keys, topPhrases),
  };
  return { summary: summarise(explanation, rates), ...explanation };
}

function rank(counts: Map<string, number>): Ranked[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP)
    .map(([name, count]) => ({ name, count }));
}

/**
 * Messages that are not just the top phrase again: they show what people were saying. `keys`
 * are the `texts` normalised.
 */
function pickSamples(texts: string[], keys: string[], topPhrases: Ranked[]): string[] {
  const seen = new Set(topPhrases.slice(0, 1).map((phrase) => normalise(phrase.name)));
  const samples: string[] = [];
  for (let i = 0; i < texts.length && samples.length < SAMPLES; i++) {
    const key = keys[i]!;
    if (seen.has(key) || key.length < 2) continue;
    seen.add(key);
    samples.push(texts[i]!);
  }
  return samples;
}

/**
 * The distinct chatters of the moment being explained: an integer table rather than a `Set`
 * (explanations are not re-entered, so one serves them all).
 */
const scratchChatters = new ChatterTable();

function summarise(e: Omit<MomentExplanation, 'summary'>, rates: MomentRates): string {
  const ratio = (rates.signalRate / Math.max(rates.baselineSignalRate, 0.1)).toFixed(1);
  let summary =
    rates.signal === 'emotes'
      ? `Emote burst: ${e.unique_chatters} chatters, ${ratio}x the usual emotes`
      : rates.signal === 'messages'
        ? `${e.unique_chatters} chatters sent ${e.messages} messages, ${ratio}x the usual rate`
        : `${e.unique_chatters} chatters reacted, ${ratio}x the usual`;
  if (e.top_emotes[0]) summary += `; top emote ${e.top_emotes[0].name}`;
  if (e.top_phrases[0]) summary += `; "${e.top_phrases[0].name}"`;
  return summary;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
