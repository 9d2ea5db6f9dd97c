import type { AppProps } from "next/app";
import Head from "next/head";
import "@/styles/globals.css";

/** Every page: the title, the viewport (which Next wants here, not in the document) and the styles. */
export default function PismoApp({ Component, pageProps }: AppProps) {
  return (
    <>
      <Head>
        <title>Pismo</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Component {...pageProps} />
    </>
  );
}
