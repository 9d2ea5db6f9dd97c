import { EarlySignIn } from "@/features/sign-in/early-sign-in";
import { AppTakeOver } from "./app-take-over";

export default function Page() {
  return <AppTakeOver early={<EarlySignIn />} />;
}
