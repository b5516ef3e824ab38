import Nzh from 'nzh';
import { INCOTERM_CODES, isoDate, percentBp, plainDecimal, type Recognizer, type Trigger, firstTrigger } from './facts.js';

const CURRENCIES: readonly [RegExp, string][] = [[/离岸人民币|CNH/, 'CNH'], [/美元|美金|USD/, 'USD'], [/港元|港币|HKD/, 'HKD'], [/新元|新加坡元|SGD/, 'SGD'], [/欧元|EUR/, 'EUR'], [/人民币|CNY|RMB/, 'CNY']];
const CURRENCY_WORDS = '离岸人民币|美元|美金|港元|港币|新元|新加坡元|欧元|人民币|元';
const UNITS = '件|个|台|套|吨|箱|千克|公斤|双|卷|米|袋|桶|只|条|片|张|托';
const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?(?:万|千)?|[零一二两三四五六七八九十百千万]+`;
const STOP = /^(单价|每|价格|价钱|报价|总价|总共|共|，|。|、|；|！|？|,|\.|;|\s+|FOB|CIF|EXW|FCA|DAP|DDP|CFR|CPT|CIP|DPU|FAS)$/;
const words = new Intl.Segmenter('zh', { granularity: 'word' });

/** 5000, 1.2万, 五千, 两万 as a plain decimal. */
function chineseNumber(text: string): string | null {
  const scaled = /^(\d[\d,]*(?:\.\d+)?)(万|千)$/.exec(text);
  if (scaled !== null) {
    const base = plainDecimal(scaled[1]!);
    if (base === null) return null;
    const [whole, fraction = ''] = base.split('.');
    const shift = scaled[2] === '万' ? 4 : 3;
    const digits = `${whole}${fraction.padEnd(shift, '0').slice(0, shift)}`.replace(/^0+(?=\d)/, '');
    const rest = fraction.slice(shift);
    return rest === '' ? digits : `${digits}.${rest}`;
  }
  if (/^\d/.test(text)) return plainDecimal(text);
  const value = Number(Nzh.cn.decodeS(text.replace(/两/g, '二')));
  return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
}

function currencyOf(word: string): string | null {
  return CURRENCIES.find(([re]) => re.test(word))?.[1] ?? (word === '元' ? 'CNY' : null);
}

/** The words after a unit classifier, up to a price, a punctuation mark or an Incoterm: the goods' name (Intl.Segmenter). */
function descriptionAfter(text: string): string {
  const out: string[] = [];
  for (const { segment } of words.segment(text)) {
    if (STOP.test(segment)) break;
    out.push(segment);
    if (out.join('').length >= 30) break;
  }
  return out.join('').replace(/^的/, '');
}

const TRIGGER_WORDS: readonly [Trigger, RegExp][] = [
  ['signing', /签约|签合同|合同签署|签订|下单|定金|预付|订金/], ['shipment', /提单|发货|装运|装船|出货/],
  ['inspection', /检验|验货|质检/], ['delivery', /验收|到货|收货|交货|交付|尾款/],
];

const triggerOf = (phrase: string): Trigger | null => firstTrigger(phrase, TRIGGER_WORDS);

/** Chinese, read with regular expressions, numerals decoded with nzh and words found with Intl.Segmenter. */
export const readChinese: Recognizer = (text) => {
  const facts: ReturnType<Recognizer> = [];
  const buyer = /(?:我们|我方|我司|我)(?:想|要|需要|计划|打算|准备)?(?:购买|订购|采购|下单|买)/.exec(text);
  if (buyer !== null) facts.push({ kind: 'role', role: 'buyer', quote: buyer[0] });
  const seller = /(?:我们|我方|我司|我)(?:可以|能|能够|会)?(?:供应|提供|供货|生产|报价)|我们的报价|我方报价/.exec(text);
  if (seller !== null) facts.push({ kind: 'role', role: 'seller', quote: seller[0] });

  for (const m of text.matchAll(new RegExp(String.raw`(${NUMBER})\s*(${UNITS})`, 'gu'))) {
    const quantity = chineseNumber(m[1]!);
    const after = text.slice(m.index + m[0].length);
    const description = descriptionAfter(after);
    // A number and a classifier followed by a price word is a price ("每件12美元"), not goods.
    if (quantity === null || description === '' || /^(美元|港元|港币|人民币|元)/.test(after)) continue;
    facts.push({ kind: 'line', description, quantity, unit: m[2]!, quote: `${m[0]}${description}` });
  }
  const prices = [
    new RegExp(String.raw`单价\s*(?:为|是|:|：)?\s*(\d[\d,]*(?:\.\d+)?)\s*(${CURRENCY_WORDS})`, 'gu'),
    new RegExp(String.raw`每(?:${UNITS})\s*(\d[\d,]*(?:\.\d+)?)\s*(${CURRENCY_WORDS})`, 'gu'),
    new RegExp(String.raw`(\d[\d,]*(?:\.\d+)?)\s*(${CURRENCY_WORDS})\s*(?:\/|每|一)\s*(?:${UNITS})`, 'gu'),
  ];
  const seen = new Set<number>();
  for (const pattern of prices) {
    for (const m of text.matchAll(pattern)) {
      const at = m.index + m[0].indexOf(m[1]!);
      const amount = plainDecimal(m[1]!);
      if (amount === null || seen.has(at)) continue;
      seen.add(at);
      facts.push({ kind: 'price', unitPrice: amount, currency: currencyOf(m[2]!), quote: m[0] });
    }
  }
  const settlement = new RegExp(String.raw`(?:用|以)(${CURRENCY_WORDS})(?:收款|结算|收钱)|(?:收款|结算)(?:币种)?(?:用|为|是)(${CURRENCY_WORDS})`, 'u').exec(text);
  if (settlement !== null) facts.push({ kind: 'settlement_currency', currency: currencyOf(settlement[1] ?? settlement[2]!)!, quote: settlement[0] });
  else {
    for (const [re, currency] of CURRENCIES) {
      const m = re.exec(text);
      if (m !== null) facts.push({ kind: 'currency', currency, quote: m[0] });
    }
  }
  for (const m of text.matchAll(new RegExp(String.raw`(${INCOTERM_CODES})\s*([\p{Script=Han}]{2,4}?)(?=港|[，。,.;；\s]|$)`, 'gu'))) {
    facts.push({ kind: 'incoterms', rule: m[1]!, place: m[2]!, quote: m[0] });
  }
  if (/交货|到货|交付|发货|送达|装运|出货/.test(text)) {
    for (const m of text.matchAll(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/g)) {
      const date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (date !== null) facts.push({ kind: 'delivery', date, quote: m[0] });
    }
  }
  const milestone = [
    /((?:签约|签合同|合同签署|签订合同|下单|凭提单|提单|发货|装运|装船|出货|验收|验货|检验|到货|收货|交货)[^，。；%]{0,8}?)(?:时|后|之后)?\s*(?:付|支付|付款|结清)?\s*(?:货款|尾款|余款)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*%/gu,
    /(\d{1,3}(?:\.\d{1,2})?)\s*%\s*(?:的)?(定金|预付款|订金|(?:在|于)?(?:签约|发货|装运|验收|验货|到货|交货)[^，。；]{0,4}?(?:时|后)(?:支付|付)?|尾款)/gu,
  ];
  for (const [which, pattern] of milestone.entries()) {
    for (const m of text.matchAll(pattern)) {
      const phrase = which === 0 ? m[1]! : m[2]!;
      const share = which === 0 ? m[2]! : m[1]!;
      const trigger = triggerOf(phrase);
      const bp = percentBp(share);
      if (trigger !== null && bp !== null) facts.push({ kind: 'milestone', shareBp: bp, trigger, quote: m[0] });
    }
  }
  const dispute = /(?:争议|异议|索赔)期\s*(\d{1,3})\s*天|(\d{1,3})\s*天(?:内)?(?:可以)?(?:提出)?(?:争议|异议|索赔)/.exec(text);
  if (dispute !== null) facts.push({ kind: 'dispute', days: Number(dispute[1] ?? dispute[2]), quote: dispute[0] });
  const arbiter = /(?:由|交|提交)\s*([\p{Script=Han}A-Za-z]{2,30})\s*仲裁(?=[。，,.;；！]|$)|仲裁(?:机构|方)?\s*(?:为|是|[:：])\s*([\p{Script=Han}A-Za-z]{2,30})/u.exec(text);
  if (arbiter !== null) facts.push({ kind: 'arbiter', name: arbiter[1] ?? arbiter[2]!, quote: arbiter[0] });
  const hs = /HS\s*(?:编码|code)?\s*[:：]?\s*(\d{4}(?:\.?\d{2}){0,3})/i.exec(text);
  if (hs !== null) facts.push({ kind: 'hs', code: hs[1]!, quote: hs[0] });
  const agree = /成交|同意|没问题|就这么定|确认|可以接受/.exec(text);
  if (agree !== null) facts.push({ kind: 'agree', quote: agree[0] });
  return facts;
};
