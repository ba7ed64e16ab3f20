export const dynamic = 'force-dynamic'

export default function Home() {
  return <main className="p-8"><h1 className="text-xl font-semibold">Legation</h1></main>
}
