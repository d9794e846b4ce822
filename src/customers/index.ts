// Public face of customer records.
export { CustomerRepository, type Customer } from './repository.ts';
