// Public face of customer records: the repository (with find-or-create-or-merge by contact)
// and the hygiene rules every customer field passes through.
export { CustomerRepository, type Customer, type CustomerRepositoryOptions, type Identification, type WriteContext } from './repository.ts';
export {
  normalizePhone,
  normalizeEmail,
  normalizeName,
  normalizeExternalId,
  normalizeLanguage,
  normalizeCustomerFields,
  sanitizeContact,
  isCustomerId,
  type CountryCode,
  type CustomerFields,
  type CustomerFieldsInput,
  type FieldIssue,
  type Normalized,
} from './hygiene.ts';
export { compatible, mergeReason, pickSurvivor, type MergeReason } from './dedupe.ts';
