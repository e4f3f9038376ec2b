// Who sends the invoice for a ledger row. `provider` is the model's maker; since issue 13 the
// row also says where it was served (`platform`, `upstream`). Claude served by Amazon Bedrock is
// invoiced by AWS, GPT on Azure OpenAI by Microsoft, anything on Vertex AI by Google: the books
// accrue against that vendor, and FOCUS names it the invoice issuer and service provider, with
// the maker as publisher (docs/exports.md, "Who is the vendor").

/** Where a ledger row was served: its maker and, from migration 0018 on, platform and upstream. */
export interface ServedBy {
  readonly provider: string;
  /** null: a row written before 0018 (always served by its maker's own API). */
  readonly platform: string | null;
  readonly upstream: string | null;
}

/** Cloud platforms and the company that runs (and invoices) them. */
const CLOUD_VENDORS: Readonly<Record<string, string>> = { bedrock: 'aws', 'azure-openai': 'microsoft', 'vertex-ai': 'google' };
/** The makers' own APIs: served and invoiced by the maker. */
const FIRST_PARTY = new Set(['openai', 'anthropic', 'gemini']);

const NAMES: Readonly<Record<string, string>> = { openai: 'OpenAI', anthropic: 'Anthropic', google: 'Google', aws: 'AWS', microsoft: 'Microsoft' };
const SERVICES: Readonly<Record<string, string>> = { bedrock: 'Amazon Bedrock', 'azure-openai': 'Azure OpenAI', 'vertex-ai': 'Vertex AI' };

/**
 * The vendor id of the company that served the row: the cloud's for a cloud platform, the
 * maker's for its own API and for rows without a platform. A platform Stipend does not know is
 * its own vendor id, so it is never silently booked to the maker.
 */
export function serviceProviderId(row: ServedBy): string {
  if (row.platform === null || FIRST_PARTY.has(row.platform)) return row.provider;
  return CLOUD_VENDORS[row.platform] ?? row.platform;
}

/**
 * The vendor id the row is invoiced by: the company that served it, unless the GL mapping says
 * an upstream is invoiced by someone else (`invoicedBy`: a cloud bought through a reseller).
 */
export function invoicingVendorId(row: ServedBy, invoicedBy: Readonly<Record<string, string>> = {}): string {
  const override = row.upstream === null ? undefined : invoicedBy[row.upstream];
  return override ?? serviceProviderId(row);
}

/** A vendor's (or maker's) display name: the GL mapping's `vendors` names first, then the built-in ones, else the id. */
export function vendorDisplayName(id: string, names: Readonly<Record<string, string>> = {}): string {
  return names[id] ?? NAMES[id] ?? id;
}

/** The service the row was bought as: "Amazon Bedrock", "Azure OpenAI", "Vertex AI", or "<maker> API". */
export function serviceName(row: ServedBy, names: Readonly<Record<string, string>> = {}): string {
  const cloud = row.platform === null || FIRST_PARTY.has(row.platform) ? undefined : SERVICES[row.platform];
  return cloud ?? `${vendorDisplayName(serviceProviderId(row), names)} API`;
}
