/** Unicode passwords passlib's test suite uses (passlib/tests/test_handlers.py). */
export const UPASS_TABLE = 't\u00e1\u0411\u2113\u0259';
export const UPASS_WAV = '\u0399\u03c9\u03b1\u03bd\u03bd\u03b7\u03c2';
export const UPASS_USD = '\u20AC\u00A5$';
/** Django's and passlib's django tests' "lètmein". */
export const UPASS_LETMEIN = 'l\u00e8tmein';
