import { logout } from '@/app/actions/session';
import { Button } from '@/components/ui/Button';

export function LogoutButton() {
  return (
    <form action={logout}>
      <Button type="submit" variant="ghost">
        Log out
      </Button>
    </form>
  );
}
