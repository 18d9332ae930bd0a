import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import HomeIcon from '@material-ui/icons/Home';
import { homeRouteRef } from './routes';

/** `/`: what the signed-in person can do here. It draws its own header (the greeting). */
const homePage = PageBlueprint.make({
  params: {
    path: '/',
    title: 'Home',
    icon: <HomeIcon />,
    routeRef: homeRouteRef,
    noHeader: true,
    loader: () => import('./HomePage').then(m => <m.HomePage />),
  },
});

/** The portal's own home page, installed by the app (there is no separate plugin package for it). */
export const homePlugin = createFrontendPlugin({
  pluginId: 'home',
  title: 'Home',
  icon: <HomeIcon />,
  routes: { root: homeRouteRef },
  extensions: [homePage],
});
