import type { CountryCode } from "libphonenumber-js/max"
import type { Rng } from "./Random.js"

/**
 * The countries sample sites come from: each has its own reserved-looking domain suffix, language,
 * page paths, people, places and phone ranges. Phone patterns use the ranges regulators set aside for
 * fiction (Ofcom's 020 7946 0xxx, ACMA's 5550 xxxx, ARCEP's 01 99 00 …, NANP 555-01xx) where they exist.
 */

export const Categories = ["restaurant", "clinic", "law", "trades", "shop"] as const
export type Category = (typeof Categories)[number]

export interface Labels {
  readonly home: string
  readonly about: string
  readonly contact: string
  readonly services: string
  readonly phone: string
  readonly email: string
  readonly address: string
  readonly follow: string
  readonly share: string
  readonly cookies: string
  readonly accept: string
}

export interface Country {
  readonly code: CountryCode
  readonly lang: string
  /** Hosts are `{slug}.{suffix}`, never really resolved. */
  readonly suffix: string
  readonly contactPaths: ReadonlyArray<string>
  readonly aboutPaths: ReadonlyArray<string>
  /** Cities with the phone pattern (`#` a digit) of their area, so numbers match the address. */
  readonly places: ReadonlyArray<{ readonly city: string; readonly phone: string }>
  readonly streets: ReadonlyArray<string>
  readonly address: (house: number, street: string) => string
  readonly firstNames: ReadonlyArray<string>
  readonly surnames: ReadonlyArray<string>
  /** Business name templates per category: `{s}`/`{t}` surnames, `{c}` a city. */
  readonly names: Readonly<Record<Category, ReadonlyArray<string>>>
  readonly generalMailboxes: ReadonlyArray<string>
  readonly labels: Labels
  /** A company registration line whose digits must not read as a phone number. */
  readonly registration: (rng: Rng) => string
}

const english: Labels = {
  home: "Home",
  about: "About us",
  contact: "Contact",
  services: "Services",
  phone: "Phone",
  email: "Email",
  address: "Address",
  follow: "Follow us",
  share: "Share this page",
  cookies: "We use cookies to improve your experience and measure traffic.",
  accept: "Accept all",
}

const englishNames = (law: string, trade: string): Readonly<Record<Category, ReadonlyArray<string>>> => ({
  restaurant: ["{s}'s Kitchen", "The {c} Grill", "Olive & {s}", "{s} Street Diner"],
  clinic: ["{c} Dental Care", "{s} Family Clinic", "{c} Physiotherapy", "Bright Smile {c}"],
  law: [`{s} & {t} ${law}`, `{s} Legal ${law}`, `{c} Law ${law}`],
  shop: ["{s} Books", "The {c} Bakery", "{s} Florist", "{c} Cycle Shop"],
  trades: [`{s} ${trade}`, `{c} Electrical`, `{s} & Sons Roofing`, `{c} Heating`],
})

const US: Country = {
  code: "US",
  lang: "en-US",
  suffix: "example.us",
  contactPaths: ["/contact", "/contact-us", "/contact.html"],
  aboutPaths: ["/about", "/about-us"],
  places: [
    { city: "Portland", phone: "503555 01##" },
    { city: "Austin", phone: "512555 01##" },
    { city: "Denver", phone: "303555 01##" },
    { city: "Boston", phone: "617555 01##" },
    { city: "Seattle", phone: "206555 01##" },
    { city: "Chicago", phone: "312555 01##" },
  ],
  streets: ["Main Street", "Oak Avenue", "Maple Drive", "Washington Blvd", "Elm Street"],
  address: (house, street) => `${house} ${street}`,
  firstNames: ["James", "Maria", "Robert", "Linda", "Michael", "Susan", "David", "Karen"],
  surnames: ["Miller", "Johnson", "Garcia", "Walker", "Parker", "Brooks", "Hayes", "Carter"],
  names: englishNames("LLP", "Plumbing"),
  generalMailboxes: ["info", "hello", "contact"],
  labels: english,
  registration: (rng) => `Licensed & insured · License no. ${rng.digits("CA-###")}`,
}

const GB: Country = {
  code: "GB",
  lang: "en-GB",
  suffix: "example.co.uk",
  contactPaths: ["/contact", "/contact-us", "/get-in-touch"],
  aboutPaths: ["/about", "/about-us", "/our-story"],
  places: [
    { city: "London", phone: "207946 0###" },
    { city: "Leeds", phone: "1134960###" },
    { city: "Manchester", phone: "1614960###" },
    { city: "Birmingham", phone: "1214960###" },
    { city: "Bristol", phone: "1174960###" },
    { city: "Newcastle", phone: "1914980###" },
  ],
  streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"],
  address: (house, street) => `${house} ${street}`,
  firstNames: ["Oliver", "Amelia", "Harry", "Isla", "George", "Emily", "Jack", "Sophie"],
  surnames: ["Smith", "Taylor", "Davies", "Wilson", "Evans", "Thomas", "Roberts", "Wright"],
  names: englishNames("Solicitors", "Plumbing & Heating"),
  generalMailboxes: ["info", "enquiries", "hello"],
  labels: { ...english, phone: "Telephone" },
  registration: (rng) => `Registered in England & Wales, company no. ${rng.digits("SC####")}`,
}

const DE: Country = {
  code: "DE",
  lang: "de-DE",
  suffix: "example.de",
  contactPaths: ["/kontakt", "/kontakt.html"],
  aboutPaths: ["/ueber-uns", "/unternehmen"],
  places: [
    { city: "Berlin", phone: "30########" },
    { city: "München", phone: "89#######" },
    { city: "Hamburg", phone: "40########" },
    { city: "Köln", phone: "221#######" },
    { city: "Frankfurt", phone: "69########" },
    { city: "Leipzig", phone: "341#######" },
  ],
  streets: ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee"],
  address: (house, street) => `${street} ${house}`,
  firstNames: ["Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Paul", "Laura"],
  surnames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann"],
  names: {
    restaurant: ["Gasthaus {s}", "Restaurant Zum {s}", "{c}er Brauhaus"],
    clinic: ["Zahnarztpraxis {s}", "Praxis Dr. {s}", "Physiotherapie {c}"],
    law: ["{s} & {t} Rechtsanwälte", "Kanzlei {s}", "{s} Rechtsanwälte"],
    shop: ["Bäckerei {s}", "Blumen {s}", "Buchhandlung {s}"],
    trades: ["{s} Sanitär & Heizung", "Elektro {s}", "Dachdeckerei {s}"],
  },
  generalMailboxes: ["info", "kontakt", "post"],
  labels: {
    home: "Startseite",
    about: "Über uns",
    contact: "Kontakt",
    services: "Leistungen",
    phone: "Telefon",
    email: "E-Mail",
    address: "Adresse",
    follow: "Folgen Sie uns",
    share: "Seite teilen",
    cookies: "Wir verwenden Cookies, um unsere Website zu verbessern.",
    accept: "Alle akzeptieren",
  },
  registration: (rng) => `USt-IdNr.: DE${rng.digits("###")} ${rng.digits("###")} ${rng.digits("###")}`,
}

const FR: Country = {
  code: "FR",
  lang: "fr-FR",
  suffix: "example.fr",
  contactPaths: ["/contact", "/nous-contacter"],
  aboutPaths: ["/a-propos", "/qui-sommes-nous"],
  places: [
    { city: "Paris", phone: "19900####" },
    { city: "Nantes", phone: "26191####" },
    { city: "Lille", phone: "35301####" },
    { city: "Lyon", phone: "46571####" },
    { city: "Bordeaux", phone: "53649####" },
    { city: "Toulouse", phone: "53649####" },
  ],
  streets: ["rue de la République", "avenue Victor Hugo", "rue du Marché", "boulevard Gambetta"],
  address: (house, street) => `${house}, ${street}`,
  firstNames: ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Arthur"],
  surnames: ["Martin", "Bernard", "Dubois", "Laurent", "Moreau", "Lefèvre", "Girard", "Roux"],
  names: {
    restaurant: ["Bistrot {s}", "Chez {s}", "La Table de {c}"],
    clinic: ["Cabinet dentaire {s}", "Clinique {c}", "Kinésithérapie {s}"],
    law: ["{s} & {t} Avocats", "Cabinet {s} Avocats"],
    shop: ["Boulangerie {s}", "Librairie {s}", "Fleurs de {c}"],
    trades: ["{s} Plomberie", "Électricité {s}", "Toitures {s}"],
  },
  generalMailboxes: ["contact", "info", "bonjour"],
  labels: {
    home: "Accueil",
    about: "À propos",
    contact: "Contact",
    services: "Prestations",
    phone: "Téléphone",
    email: "Courriel",
    address: "Adresse",
    follow: "Suivez-nous",
    share: "Partager cette page",
    cookies: "Nous utilisons des cookies pour améliorer votre expérience.",
    accept: "Tout accepter",
  },
  registration: (rng) =>
    `RCS ${rng.pick(["Lyon", "Paris", "Lille"])} B ${rng.digits("###")} ${rng.digits("###")}`,
}

const AU: Country = {
  code: "AU",
  lang: "en-AU",
  suffix: "example.com.au",
  contactPaths: ["/contact", "/contact-us"],
  aboutPaths: ["/about", "/about-us"],
  places: [
    { city: "Sydney", phone: "25550####" },
    { city: "Melbourne", phone: "37010####" },
    { city: "Brisbane", phone: "75550####" },
    { city: "Perth", phone: "87010####" },
    { city: "Adelaide", phone: "85550####" },
    { city: "Hobart", phone: "35550####" },
  ],
  streets: ["George Street", "Collins Street", "Queen Street", "King William Street"],
  address: (house, street) => `${house} ${street}`,
  firstNames: ["Jack", "Charlotte", "William", "Olivia", "Noah", "Mia", "Thomas", "Chloe"],
  surnames: ["Nguyen", "Kelly", "Ryan", "Murphy", "Campbell", "Stewart", "Mitchell", "Bell"],
  names: englishNames("Lawyers", "Plumbing"),
  generalMailboxes: ["info", "admin", "hello"],
  labels: english,
  registration: (rng) => `ACN ${rng.digits("###")} ${rng.digits("###")}`,
}

const IN: Country = {
  code: "IN",
  lang: "en-IN",
  suffix: "example.in",
  contactPaths: ["/contact", "/contact-us"],
  aboutPaths: ["/about", "/about-us"],
  places: [
    { city: "Delhi", phone: "11########" },
    { city: "Mumbai", phone: "22########" },
    { city: "Bengaluru", phone: "80########" },
    { city: "Chennai", phone: "44########" },
    { city: "Kolkata", phone: "33########" },
    { city: "Pune", phone: "20########" },
  ],
  streets: ["MG Road", "Park Street", "Linking Road", "Anna Salai", "Brigade Road"],
  address: (house, street) => `${house} ${street}`,
  firstNames: ["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Meera"],
  surnames: ["Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Mehta", "Rao"],
  names: englishNames("& Associates", "Sanitary Works"),
  generalMailboxes: ["info", "contact", "support"],
  labels: english,
  registration: (rng) => `CIN U${rng.digits("#####")}DL${rng.digits("####")}PTC`,
}

export const Countries: ReadonlyArray<Country> = [US, GB, DE, FR, AU, IN]
