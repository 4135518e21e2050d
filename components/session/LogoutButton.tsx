'use client';

import { logout } from '@/app/actions/session';
import { setLoggingOut } from '@/lib/fetch-json';
import { Button } from '@/components/ui/Button';

export function LogoutButton() {
  return (
    <form action={logout} onSubmit={() => setLoggingOut(true)}>
      <Button type="submit" variant="ghost">
        Log out
      </Button>
    </form>
  );
}
