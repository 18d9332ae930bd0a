import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { SidebarPinStateProvider } from '@backstage/core-components';
import {
  NavContentNavItem,
  NavContentNavItems,
} from '@backstage/plugin-app-react';
import HomeIcon from '@material-ui/icons/Home';
import SwapIcon from '@material-ui/icons/SwapHoriz';
import { ComponentType } from 'react';
import { AppNavContent } from './AppNavContent';

// The app's nav hands over the pages it found; the content only renders what is left of them.
const pages = [
  { title: 'Home', href: '/home', icon: <HomeIcon /> },
  {
    title: 'Namespace transfers',
    href: '/namespace-transfer',
    icon: <SwapIcon />,
  },
];

const navItems = {
  withComponent: (Item: ComponentType<NavContentNavItem>) => ({
    take: () => null,
    rest: () =>
      pages.map(page => (
        <Item key={page.href} {...(page as unknown as NavContentNavItem)} />
      )),
  }),
} as unknown as NavContentNavItems;

const renderNav = (isMobile: boolean) =>
  renderInTestApp(
    <SidebarPinStateProvider
      value={{ isPinned: true, toggleSidebarPinState: () => {}, isMobile }}
    >
      <AppNavContent navItems={navItems} items={[]} />
    </SidebarPinStateProvider>,
  );

describe('AppNavContent', () => {
  it('links every page by its title in the sidebar', async () => {
    await renderNav(false);
    expect(screen.getByRole('link', { name: 'Home' })).toHaveAttribute(
      'href',
      '/home',
    );
    expect(
      screen.getByRole('link', { name: 'Namespace transfers' }),
    ).toHaveAttribute('href', '/namespace-transfer');
  });

  it('names the menu of a narrow window, which opens on the pages', async () => {
    await renderNav(true);
    const bar = screen.getByTestId('mobile-sidebar-root');
    // Material UI gives the bottom bar's links the role of a button.
    const [menu, ...others] = within(bar).getAllByRole('button');
    expect(others).toEqual([]);
    expect(menu).toHaveAccessibleName('Menu');
    await userEvent.click(menu);
    expect(
      await screen.findByRole('link', { name: 'Namespace transfers' }),
    ).toHaveAttribute('href', '/namespace-transfer');
  });
});
