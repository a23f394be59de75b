import { AppError } from '../../src-main/common/contract';

export function errorMessage(e: unknown): string {
  if (e instanceof AppError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export function errorField(e: unknown): string | undefined {
  return e instanceof AppError ? e.field : undefined;
}
