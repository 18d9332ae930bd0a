import { Sidebar, SidebarGroup, SidebarItem } from '@backstage/core-components';
import {
  NavContentComponentProps,
  NavContentNavItem,
} from '@backstage/plugin-app-react';
import MenuIcon from '@material-ui/icons/Menu';

function NavItem(props: NavContentNavItem) {
  const { href, icon, title } = props;
  return <SidebarItem to={href} icon={() => icon} text={title} />;
}

/**
 * The app plugin's default nav (one item per page), with its items in a group named "Menu": on a narrow
 * window the sidebar collapses into a bottom bar of its groups, icons only, and the default's unnamed
 * group is a link screen readers cannot name.
 */
export function AppNavContent(props: NavContentComponentProps) {
  return (
    <Sidebar>
      <SidebarGroup label="Menu" icon={<MenuIcon />}>
        {props.navItems.withComponent(NavItem).rest()}
      </SidebarGroup>
    </Sidebar>
  );
}
