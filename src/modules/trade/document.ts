import anyAscii from 'any-ascii';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { agreementHash, milestoneAmounts, totalMinor, type Agreement } from './agreement.js';
import { formatAmount } from '../../core/index.js';

/** The agreement as lines a person reads before signing: parties, goods, delivery, payment terms, disputes, and its hash. */
export function agreementLines(agreement: Agreement, decimals: number): { heading: string; lines: string[] }[] {
  const total = totalMinor(agreement, decimals) ?? 0n;
  const amounts = milestoneAmounts(agreement, total);
  const money = (minor: bigint) => `${formatAmount(minor, decimals)} ${agreement.currency}`;
  const evidence = (m: Agreement['milestones'][number]) => m.evidence.kind === 'signing' ? 'on signing (released when funded)'
    : m.evidence.kind === 'acceptance' ? `on the buyer's acceptance (${agreement.buyer.participant})` : `against the ${m.evidence.documentType.replace(/_/g, ' ')} attested by ${m.evidence.attester}`;
  return [
    { heading: 'Parties', lines: [`Buyer: ${agreement.buyer.participant}, paying from ${agreement.buyer.account}`, `Seller: ${agreement.seller.participant}, paid into ${agreement.seller.account}`, ...(agreement.platform === undefined ? [] : [`Platform: ${agreement.platform}`])] },
    { heading: 'Goods', lines: agreement.goods.map((g) => `${g.quantity} ${g.unit} ${g.description}${g.hsCode === undefined ? '' : ` (HS ${g.hsCode})`} at ${g.unitPrice} ${agreement.currency} per ${g.unit}`).concat([`Total: ${money(total)}`]) },
    { heading: 'Delivery', lines: [`${agreement.incoterms.rule} ${agreement.incoterms.place} (Incoterms 2020)`, ...(agreement.deliveryDate === undefined ? [] : [`By ${agreement.deliveryDate}`])] },
    { heading: 'Payment', lines: [...agreement.milestones.map((m, i) => `${m.id}: ${m.shareBp / 100}% = ${money(amounts[i]!)}, ${evidence(m)}, by ${m.deadline}`), ...(agreement.settlementCurrency === undefined ? [] : [`Each release is converted to ${agreement.settlementCurrency} into ${agreement.seller.settlementAccount ?? ''} through a liquidity provider's quote, settled payment-versus-payment`])] },
    { heading: 'Disputes', lines: [`Within ${agreement.disputeWindowDays} days after the last deadline; ${agreement.arbiter === undefined ? 'no arbiter named: a dispute cannot be raised on the ledger' : `decided by ${agreement.arbiter}`}`] },
  ];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function agreementHtml(agreement: Agreement, decimals: number): string {
  const hash = agreementHash(agreement);
  const sections = agreementLines(agreement, decimals).map((s) => `<h2>${escape(s.heading)}</h2><ul>${s.lines.map((l) => `<li>${escape(l)}</li>`).join('')}</ul>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trade agreement ${escape(agreement.id)} v${agreement.version}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:50rem}code{word-break:break-all}</style></head>
<body><h1>Trade agreement ${escape(agreement.id)}, version ${agreement.version}</h1>
<p>SHA-256 of this agreement (RFC 8785 JSON), which each party signs on the ledger: <code>${hash}</code></p>
${sections}
</body></html>
`;
}

/** WinAnsi only: the PDF's standard font has no Chinese; other scripts are transliterated (the HTML keeps them). */
const latin = (text: string) => anyAscii(text);

function write(page: PDFPage, font: PDFFont, text: string, y: number, size: number): number {
  const words = latin(text).split(' ');
  let line = '';
  const width = page.getWidth() - 100;
  for (const word of words) {
    const next = line === '' ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(next, size) > width && line !== '') {
      page.drawText(line, { x: 50, y, size, font });
      y -= size + 4;
      line = word;
    } else line = next;
  }
  if (line !== '') page.drawText(line, { x: 50, y, size, font });
  return y - size - 4;
}

/** The same document as a PDF (pdf-lib), its creation date fixed so the same agreement gives the same bytes. */
export async function agreementPdf(agreement: Agreement, decimals: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Trade agreement ${agreement.id} v${agreement.version}`);
  pdf.setCreator('Depositum');
  pdf.setProducer('Depositum (pdf-lib)');
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page = pdf.addPage();
  let y = page.getHeight() - 60;
  y = write(page, bold, `Trade agreement ${agreement.id}, version ${agreement.version}`, y, 16);
  y = write(page, font, `SHA-256: ${agreementHash(agreement)}`, y, 8);
  for (const section of agreementLines(agreement, decimals)) {
    if (y < 120) {
      page = pdf.addPage();
      y = page.getHeight() - 60;
    }
    y = write(page, bold, section.heading, y - 8, 12);
    for (const line of section.lines) y = write(page, font, `- ${line}`, y, 10);
  }
  return pdf.save({ useObjectStreams: false });
}
