import nlp from 'compromise';
import { INCOTERM_CODES, isoDate, percentBp, plainDecimal, type Recognizer, type Trigger, firstTrigger } from './facts.js';

const CURRENCY_WORDS: readonly [RegExp, string][] = [
  [/\b(?:US\$|USD|US dollars?|U\.S\. dollars?)/i, 'USD'], [/\b(?:HK\$|HKD|Hong Kong dollars?)/i, 'HKD'], [/\b(?:S\$|SGD|Singapore dollars?)/i, 'SGD'],
  [/\b(?:CNH|offshore (?:yuan|renminbi))/i, 'CNH'], [/\b(?:CNY|RMB|renminbi|yuan)\b/i, 'CNY'], [/(?:€|\bEUR\b|\beuros?\b)/i, 'EUR'],
];
const SYMBOL = String.raw`US\$|USD|HK\$|HKD|S\$|SGD|CNH|CNY|RMB|EUR|€|\$`;
const UNITS = String.raw`units?|pcs|pieces?|sets?|metric tons?|tons?|tonnes?|kg|kilograms?|cartons?|boxes|box|pairs?|rolls?|meters?|metres?|bags?|drums?|containers?|pallets?`;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function currencyOf(symbol: string | undefined): string | null {
  if (symbol === undefined) return null;
  const upper = symbol.toUpperCase();
  if (upper === '$' || upper === 'US$') return 'USD';
  if (upper === 'HK$') return 'HKD';
  if (upper === 'S$') return 'SGD';
  if (upper === 'RMB') return 'CNY';
  if (upper === '€') return 'EUR';
  return upper;
}

/** Dates written out: 2027-03-15, March 15, 2027, 15 March 2027. */
function datesIn(text: string): { date: string; at: number; quote: string }[] {
  const found: { date: string; at: number; quote: string }[] = [];
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) {
    const date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (date !== null) found.push({ date, at: m.index, quote: m[0] });
  }
  const month = MONTHS.join('|');
  for (const m of text.matchAll(new RegExp(String.raw`\b(${month})\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`, 'gi'))) {
    const date = isoDate(Number(m[3]), MONTHS.indexOf(m[1]!.toLowerCase()) + 1, Number(m[2]));
    if (date !== null) found.push({ date, at: m.index, quote: m[0] });
  }
  for (const m of text.matchAll(new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(${month}),?\s+(\d{4})\b`, 'gi'))) {
    const date = isoDate(Number(m[3]), MONTHS.indexOf(m[2]!.toLowerCase()) + 1, Number(m[1]));
    if (date !== null) found.push({ date, at: m.index, quote: m[0] });
  }
  return found;
}

const TRIGGER_WORDS: readonly [Trigger, RegExp][] = [
  ['signing', /\b(?:sign|signing|signature|contract|order|confirmation|advance|deposit|upfront|down payment)/i],
  ['shipment', /\b(?:ship|shipment|shipping|shipped|bill of lading|b\/l|loading|loaded|dispatch)/i],
  ['inspection', /\b(?:inspect|inspection|quality check|certificate)/i],
  ['delivery', /\b(?:deliver|delivery|arrival|arrive|receipt|received|acceptance|accept)/i],
];

const triggerOf = (phrase: string): Trigger | null => firstTrigger(phrase, TRIGGER_WORDS);

/** English, read with regular expressions over the text with number words made digits (compromise). */
export const readEnglish: Recognizer = (original) => {
  const text = nlp(original).numbers().toNumber().all().text();
  const facts: ReturnType<Recognizer> = [];
  const buyer = /\b(?:we|i)(?:'d| would| will)?\s+(?:like to|want to|wish to|need to|are looking to|plan to)\s+(?:buy|order|purchase|source)\b|\bwe(?:'d| would)? (?:like|want) to place an order\b|\bour (?:purchase )?order\b/i.exec(text);
  if (buyer !== null) facts.push({ kind: 'role', role: 'buyer', quote: buyer[0] });
  const seller = /\b(?:we|i)\s+(?:can|could|will|are able to)\s+(?:supply|offer|ship|deliver|provide|manufacture|produce)\b|\bour (?:price|quote|quotation|offer) is\b|\bwe quote\b/i.exec(text);
  if (seller !== null) facts.push({ kind: 'role', role: 'seller', quote: seller[0] });

  for (const m of text.matchAll(new RegExp(String.raw`(\d[\d,]*(?:\.\d+)?)\s*(${UNITS})\s+(?:of\s+)?((?:[A-Za-z][A-Za-z0-9\-/]*)(?:\s+(?!at\b|for\b|per\b|each\b|and\b|with\b|by\b|to\b|from\b|on\b|in\b)[A-Za-z][A-Za-z0-9\-/]*){0,5})`, 'gi'))) {
    const quantity = plainDecimal(m[1]!);
    if (quantity !== null) facts.push({ kind: 'line', description: m[3]!.trim(), quantity, unit: m[2]!.toLowerCase().replace(/s$/, ''), quote: m[0] });
  }
  const priced = [
    new RegExp(String.raw`(?:\bat|\bfor|@|\bprice(?: is| of)?|\bunit price(?: is| of)?|\bcosts?)\s*(${SYMBOL})\s?(\d[\d,]*(?:\.\d+)?)\s*(?:per|each|\/|a)\b`, 'gi'),
    new RegExp(String.raw`(${SYMBOL})\s?(\d[\d,]*(?:\.\d+)?)\s*(?:per|each|\/\s*(?:unit|piece|pc|set|ton|tonne|kg|carton|box|pair))`, 'gi'),
  ];
  const seen = new Set<number>();
  for (const pattern of priced) {
    for (const m of text.matchAll(pattern)) {
      const amount = plainDecimal(m[2]!);
      const at = m.index + m[0].indexOf(m[2]!);
      if (amount === null || seen.has(at)) continue;
      seen.add(at);
      facts.push({ kind: 'price', unitPrice: amount, currency: currencyOf(m[1]), quote: m[0] });
    }
  }
  for (const m of text.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*(US dollars?|dollars?|Hong Kong dollars?|HKD|USD|SGD|euros?)\s*(?:per|each|a)\s*(?:unit|piece|pc|set|ton|tonne|kg|carton|box|pair)\b/gi)) {
    const amount = plainDecimal(m[1]!);
    if (amount !== null) facts.push({ kind: 'price', unitPrice: amount, currency: CURRENCY_WORDS.find(([re]) => re.test(m[2]!))?.[1] ?? (/dollar/i.test(m[2]!) ? 'USD' : null), quote: m[0] });
  }
  const paidIn = /\b(?:be paid|receive (?:the )?payment|get paid|settle(?:ment)?|paid to us)\s+in\s+([A-Za-z$ .]{0,30}?dollars?|[A-Z]{3}|renminbi|yuan|euros?)\b/i.exec(text);
  if (paidIn !== null) {
    const currency = CURRENCY_WORDS.find(([re]) => re.test(paidIn[1]!))?.[1];
    if (currency !== undefined) facts.push({ kind: 'settlement_currency', currency, quote: paidIn[0] });
  } else {
    for (const [re, currency] of CURRENCY_WORDS) {
      const m = re.exec(text);
      if (m !== null) facts.push({ kind: 'currency', currency, quote: m[0] });
    }
  }
  for (const m of text.matchAll(new RegExp(String.raw`\b(${INCOTERM_CODES})\b(?:\s+Incoterms(?:\s+2020)?)?\s+((?:[A-Z][A-Za-z]+)(?:\s+[A-Z][A-Za-z]+){0,3})`, 'g'))) {
    facts.push({ kind: 'incoterms', rule: m[1]!, place: m[2]!.replace(/\s+(?:Incoterms|Port)$/, ''), quote: m[0] });
  }
  if (/\b(deliver|delivery|arrive|arrival|ship|shipment|reach|lead time|collection)/i.test(text)) {
    for (const d of datesIn(text)) {
      // A date right after "ship" or "loading" is the shipment's, not the delivery's.
      const before = text.slice(Math.max(0, d.at - 40), d.at);
      const lastWord = /.*\b(deliver\w*|arriv\w*|reach\w*|ship\w*|loading|load\w*|collection)\b/i.exec(before)?.[1]?.toLowerCase();
      facts.push({ kind: lastWord !== undefined && /^(ship|load)/.test(lastWord) ? 'shipment_date' : 'delivery', date: d.date, quote: d.quote });
    }
  }
  for (const m of text.matchAll(/(\d{1,3}(?:\.\d{1,2})?)\s*%\s*(?:of the (?:total|price|amount|contract value)\s*)?(?:is\s+|will be\s+|to be\s+)?(?:paid\s+|due\s+|payable\s+)?(?:(on|upon|at|after|when|against|as)\s+([^,.;%]{1,80}?)(?=\s+and\s+(?:the\s+)?(?:remaining\s+|balance\s+)?\d|\s*[,.;]|$)|(deposit|advance|upfront|down payment))/gi)) {
    const trigger = triggerOf(m[3] ?? m[4] ?? '');
    const bp = percentBp(m[1]!);
    if (trigger !== null && bp !== null) facts.push({ kind: 'milestone', shareBp: bp, trigger, quote: m[0].trim() });
  }
  const dispute = /\b(\d{1,3})[- ]days? (?:dispute|complaint|claims?|inspection) (?:window|period)\b|\bdisputes? (?:within|in) (\d{1,3}) days\b|\b(\d{1,3}) days to (?:raise a dispute|dispute|complain)\b/i.exec(text);
  if (dispute !== null) facts.push({ kind: 'dispute', days: Number(dispute[1] ?? dispute[2] ?? dispute[3]), quote: dispute[0] });
  const arbiter = /\b(?:arbitration|arbitrator|arbiter)\s+(?:by|is|will be|through|at|:)\s+(?:the\s+)?([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,6})/.exec(text);
  if (arbiter !== null) facts.push({ kind: 'arbiter', name: arbiter[1]!.replace(/[.,;]+$/, ''), quote: arbiter[0] });
  const hs = /\bHS(?: code)?\s*:?\s*(\d{4}(?:\.?\d{2}){0,3})\b/i.exec(text);
  if (hs !== null) facts.push({ kind: 'hs', code: hs[1]!, quote: hs[0] });
  if (/\b(deal|agreed|we agree|i agree|confirmed|that works|sounds good|accepted)\b/i.test(text)) facts.push({ kind: 'agree', quote: /\b(deal|agreed|we agree|i agree|confirmed|that works|sounds good|accepted)\b/i.exec(text)![0] });
  return facts;
};
