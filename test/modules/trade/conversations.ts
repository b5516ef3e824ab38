import type { Trigger } from '../../../src/modules/trade/draft/facts.js';

/** A conversation of our own making and what the drafter must read from it, field by field. */
export interface Conversation {
  readonly name: string;
  readonly transcript: string;
  readonly language: 'en' | 'zh';
  readonly buyer?: string;
  readonly seller?: string;
  readonly goods?: readonly { description: string; quantity: string; unit: string; unitPrice: string | null }[];
  readonly currency?: string;
  readonly settlementCurrency?: string;
  readonly incoterms?: string;
  readonly deliveryDate?: string;
  readonly milestones?: readonly [Trigger, number][];
  readonly disputeWindowDays?: number;
  readonly arbiter?: string;
  /** Words each expected entry of `missing` (or `contradictions`) contains. */
  readonly missing?: readonly string[];
  readonly contradictions?: readonly string[];
}

export const CONVERSATIONS: readonly Conversation[] = [
  {
    name: 'en: earbuds, a negotiated price, three milestones, paid in HKD', language: 'en',
    transcript: `Lena: Hi, we'd like to order 5,000 units of wireless earbuds.\nWei: We can supply them. Our price is US$12.50 per unit, FOB Shenzhen.\nLena: Could you do $11.80 per unit?\nWei: $12.00 per unit is our best. Delivery by March 15, 2027.\nLena: Agreed. Payment terms: 30% on signing, 60% on shipment against the bill of lading, 10% on delivery after inspection.\nWei: Confirmed. We would like to be paid in Hong Kong dollars. Disputes within 30 days, arbitration by the Hong Kong International Arbitration Centre.`,
    buyer: 'Lena', seller: 'Wei', goods: [{ description: 'wireless earbuds', quantity: '5000', unit: 'unit', unitPrice: '12.00' }], currency: 'USD', settlementCurrency: 'HKD',
    incoterms: 'FOB Shenzhen', deliveryDate: '2027-03-15', milestones: [['signing', 3000], ['shipment', 6000], ['delivery', 1000]], disputeWindowDays: 30, arbiter: 'Hong Kong International Arbitration Centre',
  },
  {
    name: 'en: number words, CIF, a deposit and the balance', language: 'en',
    transcript: `Buyer: We want to purchase two thousand five hundred pieces of stainless steel valves.\nSupplier: We can offer them at USD 8.40 each, CIF Rotterdam.\nBuyer: Fine. We need them to arrive by 2027-02-01.\nSupplier: OK. 20% deposit, 80% on arrival of the goods.\nBuyer: Deal.`,
    buyer: 'Buyer', seller: 'Supplier', goods: [{ description: 'stainless steel valves', quantity: '2500', unit: 'piece', unitPrice: '8.40' }], currency: 'USD',
    incoterms: 'CIF Rotterdam', deliveryDate: '2027-02-01', milestones: [['signing', 2000], ['delivery', 8000]], disputeWindowDays: 14,
  },
  {
    name: 'en: tonnes of a commodity, EXW, day-month-year date', language: 'en',
    transcript: `Anna: We are looking to buy 120 tonnes of refined copper cathodes.\nRaj: Our price is $8,950.00 per tonne, EXW Chennai. Ready for collection on 10 January 2027.\nAnna: 50% on signing and 50% on loading, with the bill of lading.\nRaj: Agreed.`,
    buyer: 'Anna', seller: 'Raj', goods: [{ description: 'refined copper cathodes', quantity: '120', unit: 'tonne', unitPrice: '8950.00' }], currency: 'USD',
    incoterms: 'EXW Chennai', deliveryDate: '2027-01-10', milestones: [['signing', 5000], ['shipment', 5000]],
  },
  {
    name: 'en: two goods lines, each priced in its message', language: 'en',
    transcript: `Mia: We'd like to order 300 sets of office chairs at $45 per set.\nMia: Also 150 sets of standing desks at $210 per set.\nTom: We can supply both, DAP Singapore, delivery by April 30, 2027.\nMia: 40% upfront, 60% on delivery.\nTom: Sounds good.`,
    buyer: 'Mia', seller: 'Tom', goods: [{ description: 'office chairs', quantity: '300', unit: 'set', unitPrice: '45' }, { description: 'standing desks', quantity: '150', unit: 'set', unitPrice: '210' }], currency: 'USD',
    incoterms: 'DAP Singapore', deliveryDate: '2027-04-30', milestones: [['signing', 4000], ['delivery', 6000]],
  },
  {
    name: 'en: Singapore dollars, an HS code, a dispute window in days', language: 'en',
    transcript: `Priya: We plan to order 1,000 cartons of canned coconut milk, HS code 2106.90.\nChen: We can ship at S$18.20 per carton, FCA Port Klang.\nChen: Shipment before December 20, 2026 and delivery by January 5, 2027.\nPriya: 10% on order confirmation, 90% on delivery. A 7-day claims period.\nChen: Agreed.`,
    buyer: 'Priya', seller: 'Chen', goods: [{ description: 'canned coconut milk', quantity: '1000', unit: 'carton', unitPrice: '18.20' }], currency: 'SGD',
    incoterms: 'FCA Port Klang', deliveryDate: '2027-01-05', milestones: [['signing', 1000], ['delivery', 9000]], disputeWindowDays: 7,
  },
  {
    name: 'en: a price in euros, DDP, an inspection certificate', language: 'en',
    transcript: `Sofia: We would like to purchase 40 units of industrial espresso machines.\nLuca: We can deliver them for €1,250.00 per unit, DDP Milan, by June 1, 2027.\nSofia: 25% on signing, 50% on shipment, 25% on inspection by an independent inspector.\nLuca: We agree.`,
    buyer: 'Sofia', seller: 'Luca', goods: [{ description: 'industrial espresso machines', quantity: '40', unit: 'unit', unitPrice: '1250.00' }], currency: 'EUR',
    incoterms: 'DDP Milan', deliveryDate: '2027-06-01', milestones: [['signing', 2500], ['shipment', 5000], ['inspection', 2500]],
  },
  {
    name: 'en: the price moves and is never confirmed', language: 'en',
    transcript: `Omar: We need to order 10,000 units of LED bulbs.\nKim: We can supply at $1.10 per unit, FOB Ningbo, delivery by May 2, 2027.\nOmar: $0.95 per unit and we have a deal.\nKim: Let me check with the factory.`,
    buyer: 'Omar', seller: 'Kim', goods: [{ description: 'LED bulbs', quantity: '10000', unit: 'unit', unitPrice: '0.95' }], currency: 'USD', incoterms: 'FOB Ningbo', deliveryDate: '2027-05-02',
    missing: ['payment terms'], contradictions: ['unit price'],
  },
  {
    name: 'en: payment terms that do not add up', language: 'en',
    transcript: `Eva: We'd like to buy 200 rolls of polyester fabric at $30 per roll.\nJon: We can ship them CFR Valencia by March 1, 2027.\nEva: 30% on signing and 60% on shipment.\nJon: Agreed.`,
    buyer: 'Eva', seller: 'Jon', goods: [{ description: 'polyester fabric', quantity: '200', unit: 'roll', unitPrice: '30' }], currency: 'USD', incoterms: 'CFR Valencia', deliveryDate: '2027-03-01',
    milestones: [['signing', 3000], ['shipment', 6000]], contradictions: ['add up to 90%'],
  },
  {
    name: 'en: nothing but small talk', language: 'en',
    transcript: `Ann: Hello, how was the fair?\nBen: Busy, but good. Let's talk next week.`,
    missing: ['who buys', 'who sells', 'the goods', 'currency', 'Incoterms', 'delivery date', 'payment terms'],
  },
  {
    name: 'en: JSON transcript, a seller who speaks first', language: 'en',
    transcript: JSON.stringify([
      { speaker: 'Kenji', text: 'We can offer 600 pairs of running shoes at USD 22.50 per pair, FOB Ho Chi Minh.' },
      { speaker: 'Grace', text: 'Good. We need delivery by 2027-03-20. 30% deposit, 70% against the bill of lading.' },
      { speaker: 'Kenji', text: 'Agreed.' },
    ]),
    buyer: 'Grace', seller: 'Kenji', goods: [{ description: 'running shoes', quantity: '600', unit: 'pair', unitPrice: '22.50' }], currency: 'USD', incoterms: 'FOB Ho Chi Minh',
    deliveryDate: '2027-03-20', milestones: [['signing', 3000], ['shipment', 7000]],
  },
  {
    name: 'zh: 蓝牙耳机，议价，三个付款节点，港币收款', language: 'zh',
    transcript: `王经理：您好，我们想订购5000件蓝牙耳机，型号AX-200。\n李总：可以，我们可以供应。单价12美元，FOB深圳。\n王经理：单价能否11.5美元？\n李总：最低12美元一件。2027年3月15日前交货。\n王经理：成交。签约时付30%，凭提单付60%，验收后付尾款10%。\n李总：同意。我们希望用港币收款。争议期30天，由香港国际仲裁中心仲裁。`,
    buyer: '王经理', seller: '李总', goods: [{ description: '蓝牙耳机', quantity: '5000', unit: '件', unitPrice: '12' }], currency: 'USD', settlementCurrency: 'HKD',
    incoterms: 'FOB 深圳', deliveryDate: '2027-03-15', milestones: [['signing', 3000], ['shipment', 6000], ['delivery', 1000]], disputeWindowDays: 30, arbiter: '香港国际仲裁中心',
  },
  {
    name: 'zh: 中文数字，两万，CIF', language: 'zh',
    transcript: `采购部：我司计划采购两万个陶瓷马克杯。\n供应商：我们可以供应，单价为3.2美元，CIF洛杉矶。\n采购部：2027年4月10日前到货。30%定金，70%到货后支付。\n供应商：没问题。`,
    buyer: '采购部', seller: '供应商', goods: [{ description: '陶瓷马克杯', quantity: '20000', unit: '个', unitPrice: '3.2' }], currency: 'USD',
    incoterms: 'CIF 洛杉矶', deliveryDate: '2027-04-10', milestones: [['signing', 3000], ['delivery', 7000]],
  },
  {
    name: 'zh: 1.2万，人民币，EXW', language: 'zh',
    transcript: `张女士：我们要买1.2万套不锈钢餐具。\n刘先生：我方报价每套45人民币，EXW义乌。\n张女士：可以。2027年1月20日交货。签合同付50%，发货后付50%。\n刘先生：确认。`,
    buyer: '张女士', seller: '刘先生', goods: [{ description: '不锈钢餐具', quantity: '12000', unit: '套', unitPrice: '45' }], currency: 'CNY',
    incoterms: 'EXW 义乌', deliveryDate: '2027-01-20', milestones: [['signing', 5000], ['shipment', 5000]],
  },
  {
    name: 'zh: 吨，检验证书，异议期', language: 'zh',
    transcript: `买方：我方需要采购300吨聚乙烯颗粒。\n卖方：我们可以提供，单价1100美元，CFR天津。\n买方：2027年2月28日前装运交货。下单时付20%，装船后付60%，检验合格后付20%。\n卖方：同意，异议期15天。`,
    buyer: '买方', seller: '卖方', goods: [{ description: '聚乙烯颗粒', quantity: '300', unit: '吨', unitPrice: '1100' }], currency: 'USD',
    incoterms: 'CFR 天津', deliveryDate: '2027-02-28', milestones: [['signing', 2000], ['shipment', 6000], ['inspection', 2000]], disputeWindowDays: 15,
  },
  {
    name: 'zh: 两种商品', language: 'zh',
    transcript: `陈经理：我们想采购800台电风扇，单价25美元。\n陈经理：另外300台空气净化器，单价88美元。\n黄总：我们可以供货，FOB广州，2027年5月1日前交货。\n陈经理：签约时付40%，到货后付60%。\n黄总：成交。`,
    buyer: '陈经理', seller: '黄总', goods: [{ description: '电风扇', quantity: '800', unit: '台', unitPrice: '25' }, { description: '空气净化器', quantity: '300', unit: '台', unitPrice: '88' }], currency: 'USD',
    incoterms: 'FOB 广州', deliveryDate: '2027-05-01', milestones: [['signing', 4000], ['delivery', 6000]],
  },
  {
    name: 'zh: 新加坡元收款，DAP', language: 'zh',
    transcript: `林小姐：我司准备订购1500箱椰子水，单价9美元。\n吴先生：我们可以供应，DAP新加坡，2027年3月5日到货。我们希望用新加坡元收款。\n林小姐：发货时付60%，验收后付40%。\n吴先生：好的，就这么定。`,
    buyer: '林小姐', seller: '吴先生', goods: [{ description: '椰子水', quantity: '1500', unit: '箱', unitPrice: '9' }], currency: 'USD', settlementCurrency: 'SGD',
    incoterms: 'DAP 新加坡', deliveryDate: '2027-03-05', milestones: [['shipment', 6000], ['delivery', 4000]],
  },
  {
    name: 'zh: 价格未确认', language: 'zh',
    transcript: `赵总：我们想购买3000件羽绒服。\n孙经理：我们可以供应，单价60美元，FOB上海，2027年1月15日前交货。\n赵总：单价55美元可以吗？`,
    buyer: '赵总', seller: '孙经理', goods: [{ description: '羽绒服', quantity: '3000', unit: '件', unitPrice: '55' }], currency: 'USD', incoterms: 'FOB 上海', deliveryDate: '2027-01-15',
    missing: ['payment terms'], contradictions: ['unit price'],
  },
  {
    name: 'zh: 付款比例不到100%', language: 'zh',
    transcript: `周经理：我司要订购500台打印机，单价150美元。\n郑总：我们可以提供，FCA深圳，2027年2月10日前交货。\n周经理：签约时付30%，发货后付50%。\n郑总：同意。`,
    buyer: '周经理', seller: '郑总', goods: [{ description: '打印机', quantity: '500', unit: '台', unitPrice: '150' }], currency: 'USD', incoterms: 'FCA 深圳', deliveryDate: '2027-02-10',
    milestones: [['signing', 3000], ['shipment', 5000]], contradictions: ['add up to 80%'],
  },
  {
    name: 'zh: 闲聊', language: 'zh',
    transcript: `小王：你好，展会怎么样？\n小李：挺忙的，下周再聊吧。`,
    missing: ['who buys', 'who sells', 'the goods', 'currency', 'Incoterms', 'delivery date', 'payment terms'],
  },
  {
    name: 'zh: JSON，卖方先开口，五千', language: 'zh',
    transcript: JSON.stringify({ messages: [
      { speaker: '厂家', text: '我们可以供应五千双运动鞋，每双22美元，FOB厦门。' },
      { speaker: '进口商', text: '好的，2027年3月25日前交货。30%定金，凭提单付70%。' },
      { speaker: '厂家', text: '成交。' },
    ] }),
    buyer: '进口商', seller: '厂家', goods: [{ description: '运动鞋', quantity: '5000', unit: '双', unitPrice: '22' }], currency: 'USD', incoterms: 'FOB 厦门',
    deliveryDate: '2027-03-25', milestones: [['signing', 3000], ['shipment', 7000]],
  },
];
