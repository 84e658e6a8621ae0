import { AppException } from '../../src/common/errors/app.exception';

/** The AppException a promise rejects with (fails the test when it resolves or throws something else). */
export async function appError(p: Promise<unknown>): Promise<AppException> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppException);
  return err as AppException;
}
