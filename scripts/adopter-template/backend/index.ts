// The adopter's backend: what a Backstage backend needs around Namespace Transfer (the catalog, whose
// entities own the volumes; the permission framework with a policy), and the plugin itself.
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));
backend.add(import('@namespace-transfer/plugin-namespace-transfer-backend'));
backend.start();
