import dynamic from "next/dynamic";

// Links in HTML mail whose text promises another destination open this page (the message
// frame runs no script, so the app cannot catch the click there). Client-rendered: the
// link travels in the fragment, which only the browser sees.
const LinkCheckPage = dynamic(
  () => import("@/features/shared/link-check-page").then((m) => m.LinkCheckPage),
  { ssr: false },
);

export default function Page() {
  return <LinkCheckPage />;
}
