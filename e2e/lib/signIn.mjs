// Signs in through the demo sign-in page, as a person would: the button of the picked user.
export async function signInAs(page, baseUrl, name) {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  // The sidebar of the signed-in app appears once the demo provider issued the token.
  await page
    .getByText('Catalog', { exact: false })
    .first()
    .waitFor({ timeout: 60_000 });
}
