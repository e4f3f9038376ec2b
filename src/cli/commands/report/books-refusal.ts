import { MappingIncompleteError, MappingNotConfiguredError } from '../../../reports/gl-mapping/mapping-errors.ts';
import { CloseRefusedError } from '../../../reports/monthly/close-month.ts';
import { CliError } from '../../cli-error.ts';

/** The books refusing — a GL mapping that does not cover the month, a close too early or out of
 * order — is told in one line (exit 2: the call or the configuration must change). */
export async function refusalsAsCliErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof MappingIncompleteError || error instanceof MappingNotConfiguredError || error instanceof CloseRefusedError) throw new CliError(error.message);
    throw error;
  }
}
