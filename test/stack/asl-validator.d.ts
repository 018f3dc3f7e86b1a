/** asl-validator 4 ships no types; this is the part the tests use. */
declare module 'asl-validator' {
  interface AslValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface AslValidationError {
    message?: string;
    'Error code'?: string;
    [key: string]: unknown;
  }
  function aslValidator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): { isValid: boolean; errors: AslValidationError[]; errorsText(separator?: string): string };
  export = aslValidator;
}
