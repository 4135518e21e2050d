'use client';

import { useActionState } from 'react';
import { login } from '@/app/actions/session';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';

export function LoginForm({ next }: { next: string }) {
  const [state, submit, pending] = useActionState(login, null);
  const failed = state?.ok === false ? state : null;
  return (
    <form action={submit} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <Field
        label="Admin password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        errors={failed ? (failed.fieldErrors?.password ?? [failed.error]) : undefined}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Logging in…' : 'Log in'}
      </Button>
    </form>
  );
}
