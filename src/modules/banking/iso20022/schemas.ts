import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

/** What an XSD said of a message: valid, or each violation with its line. */
export interface SchemaVerdict {
  readonly schema: string;
  readonly valid: boolean;
  readonly errors: readonly string[];
}

/**
 * The official ISO 20022 XSDs a bank deployment has (one file per message version, named
 * `<family>.<version>[_n].xsd` as the ISO 20022 catalogue publishes them), and validation
 * against them with libxml2 compiled to WebAssembly: no native build to install.
 */
export class SchemaDirectory {
  private readonly files = new Map<string, string>();
  private readonly contents = new Map<string, string>();

  constructor(readonly directory: string) {
    for (const name of readdirSync(directory)) {
      const match = /^([a-z]{4}\.\d{3}\.\d{3}\.\d{2})(?:_\d+)?\.xsd$/.exec(name);
      if (match !== null) this.files.set(match[1]!, name);
    }
  }

  /** The message ids (e.g. camt.053.001.08) it has an XSD for. */
  get messages(): string[] {
    return [...this.files.keys()].sort();
  }

  has(message: string): boolean {
    return this.files.has(message);
  }

  /** Validates `xml` against the XSD of `message` (e.g. pacs.008.001.09); throws when there is none. */
  async validate(xml: string, message: string): Promise<SchemaVerdict> {
    const name = this.files.get(message);
    if (name === undefined) throw new Error(`no XSD for ${message} in ${this.directory}`);
    let schema = this.contents.get(name);
    if (schema === undefined) {
      schema = readFileSync(join(this.directory, name), 'utf8');
      this.contents.set(name, schema);
    }
    const result = await validateXML({ xml: { fileName: 'message.xml', contents: xml }, schema: { fileName: name, contents: schema } });
    return { schema: name, valid: result.valid, errors: result.errors.map((error) => (error.loc === null ? error.message : `line ${error.loc.lineNumber}: ${error.message}`)) };
  }
}
