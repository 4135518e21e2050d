import { z } from 'zod';
import { exactObject } from './names';

/** The login form, the login action and POST /api/auth/login all take this. */
export const Login = exactObject({
  password: z
    .string({ error: 'Enter the password.' })
    .min(1, 'Enter the password.')
    .max(1024, 'That password is too long (1024 characters at most).'),
});
export type Login = z.infer<typeof Login>;
