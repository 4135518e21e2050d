import { z } from 'zod';
import { NamespaceName } from './names';

export const ServicesQuery = z.object({ namespace: NamespaceName.optional() });
