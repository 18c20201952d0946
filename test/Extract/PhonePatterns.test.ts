import { describe, expect, it } from "@effect/vitest"
import { extract } from "../../src/Extract/index.js"

// Shapes of the numbers real business pages write, each from an example written here.
const values = (html: string, url?: string) =>
  extract(html, { url, defaultRegion: "US" }).phones.map((phone) => phone.value)

describe("national formats on pages whose domain says nothing", () => {
  it("reads them in the country the page's address names: postcode, city or country", () => {
    expect(
      values("<p>Tel: 01752 264812</p><p>12 Quay Rd, Plymouth PL1 2AB</p>", "https://acme.com/"),
    ).toEqual(["+441752264812"])
    expect(values("<p>Call 1300 652 419</p><p>Level 2, 10 King St, Sydney NSW 2000</p>")).toEqual([
      "+611300652419",
    ])
    expect(values("<p>Ph: (03)9650-7713</p><footer>Melbourne, Australia</footer>")).toEqual(["+61396507713"])
    expect(values("<p>Tel: 022-2653 7711</p><p>Andheri East, Mumbai</p>")).toEqual(["+912226537711"])
  })

  it("reads them in the country of the page's other numbers, its currency or its hreflang", () => {
    expect(values("<p>020 7946 0322</p><footer>+44 20 7946 0000</footer>")).toEqual([
      "+442079460322",
      "+442079460000",
    ])
    expect(values("<p>Prices from £40. Tel 0113 496 2209</p>")).toEqual(["+441134962209"])
    expect(values(`<link rel="alternate" hreflang="en-ie" href="/ie"><p>Tel 01 677 0100</p>`)).toEqual([
      "+35316770100",
    ])
  })

  it("guesses no country the page does not hint at", () => {
    expect(values("<p>Tel: 01752 264812</p>")).toEqual([])
  })
})

describe("multi-office pages", () => {
  it("reads a country code written without + in the country named at the head of its block", () => {
    expect(
      values(`<div><h3>Qatar</h3>Tel: 974 4411 7654</div><div><h3>Oman</h3><br>Tel: 968 24 71 5541</div>
        <div>Germany<br>Tel: 49 89 362 014-1</div><div>United Kingdom<br>Tel: 44 (0) 1223 455 103</div>
        <div>China<br>Phone: (86-21) 6279 4411</div><div>Geneva<br>Phone: (41 22) 718 4401</div>`),
    ).toEqual([
      "+97444117654",
      "+96824715541",
      "+49893620141",
      "+441223455103",
      "+862162794411",
      "+41227184401",
    ])
  })

  it("reads each office's national numbers in its own country", () => {
    expect(
      values(`<div>London office<br>020 7946 0323</div><div>Dublin office<br>01 677 0101</div>
        <div>Sydney office<br>(02) 9250 7111</div>`),
    ).toEqual(["+442079460323", "+35316770101", "+61292507111"])
  })
})

describe("vanity numbers", () => {
  it("completes the number with the digits in parentheses, or dials the word", () => {
    expect(
      values(`<p>1-888-ACME-PRO (1-888-226-3777)</p><p>(312) CHICAGO (244-2246)</p>
        <p>1-800-GO-TOURS (468-6877)</p><p>(415) 555 HELP (4357)</p><p>Call 1-877-FLOWERS</p>`),
    ).toEqual(["+18882263777", "+13122442246", "+18004686877", "+14155554357", "+18773569377"])
  })
})

describe("lists and alternates", () => {
  it("splits lists and completes an alternate written as the last digits of the number before it", () => {
    expect(values("<p>0800 52 17 332 - 0800 52 17 338</p>", "https://acme.de/")).toEqual([
      "+498005217332",
      "+498005217338",
    ])
    expect(values("<p>Mob: 07912 448121 / 07912 448187</p>", "https://acme.co.uk/")).toEqual([
      "+447912448121",
      "+447912448187",
    ])
    expect(values("<p>Tel: 080-2211 4301 / 4456</p>", "https://acme.in/")).toEqual([
      "+918022114301",
      "+918022114456",
    ])
    expect(values("<p>Tel: 0484-239 1121 / 241 5533 / 5534</p>", "https://acme.in/")).toEqual([
      "+914842391121",
      "+914842415533",
      "+914842415534",
    ])
    expect(values("<p>(212) 817-2240, 894-3311</p>")).toEqual(["+12128172240", "+12128943311"])
  })

  it("splits two numbers that only a line break keeps apart", () => {
    expect(
      values(
        "<p>Call: 0113 496 2210 / 0113 496 2211\n 07912 448 122 / 07912 448 123</p>",
        "https://acme.co.uk/",
      ),
    ).toEqual(["+441134962210", "+441134962211", "+447912448122", "+447912448123"])
  })

  it("does not take a year, an hour or a short number after a dash for an alternate", () => {
    expect(
      values("<p>Tel 020 7946 0324 - 2024</p><p>Tel 020 7946 0325, 24 hours</p>", "https://a.co.uk/"),
    ).toEqual(["+442079460324", "+442079460325"])
  })
})

describe("glued and bare numbers", () => {
  it("reads a number glued to the next field's label, labelled bare runs and dotted or dashed formats", () => {
    expect(
      values(`<p>Tel: (617) 482-1152Fax: (617) 482-1153</p><p>Contact Number: 7185264411</p>
        <p>1.800.227.4518</p><p>(503)-226-8871</p>`),
    ).toEqual(["+16174821152", "+16174821153", "+17185264411", "+18002274518", "+15032268871"])
  })

  it("reads a phone or WhatsApp icon as the label of the bare numbers after it", () => {
    expect(
      values(
        `<p><i class="fa fa-whatsapp" aria-hidden="true"></i> 8586051650, 8586051651</p><p class="iphone">8586051652</p><nav class="menu mobile">8586051653</nav>`,
        "https://a.in/",
      ),
    ).toEqual(["+918586051650", "+918586051651"])
  })

  it("reads a bare number alone in its element on a contact page only", () => {
    const html = "<div>7185264412</div><h2>7185264413</h2><td>Ref 7185264414</td>"
    expect(values(html, "https://acme.com/contact-us")).toEqual(["+17185264412", "+17185264413"])
    expect(values(html, "https://acme.com/catalogue")).toEqual([])
  })
})

describe("what stays out", () => {
  it("refuses series, PO boxes, dates, prices, order and model numbers and postcodes", () => {
    expect(
      values(`<p>Series 300/400/1200 adapters</p><p>PO Box No.22817 - 00100, Nairobi</p>
        <p>Order no. 4155552671</p><p>Model 2125550199-B</p><p>12/05/2024 - 15/05/2024</p>
        <p>Price: 1,299.00 – 2,499.00</p><p>London EC1A 4JQ</p>`),
    ).toEqual([])
  })
})

describe("shapes seen on real pages", () => {
  it("refuses a date with its time, an archive's post count, spaced thousands, ZIP+4 and file names", () => {
    expect(
      values(`<p>Updated 27/04/2022 00:00</p><p>(updated 11:14 GMT 29.04.2020)</p><option>April 2022 (501)</option>
        <td>3 374 433 548</td><p>Washington, DC 20036-2103</p><a>Amazon-liable-81720-8.18-AM.mp3</a>
        <p>pages 4864–4874, altitude 1800–2000 m</p>`),
    ).toEqual([])
  })

  it("keeps a direct dial after a dash with the number, and the number alone when the dash starts a year", () => {
    expect(
      values("<p>Tel: +43 1 599 16 - 957 36</p><p>Tel 020 7946 0326 - 2024</p>", "https://a.co.uk/"),
    ).toEqual(["+4315991695736", "+442079460326"])
  })

  it("reads the rest of a number after an en dash, and the first line of a range of lines", () => {
    expect(values("<p>Tel: +49 (0)40-30030–1001</p><p>Phone: +91 120 2567913–16</p>")).toEqual([
      "+4940300301001",
      "+911202567913",
    ])
  })

  it("reads Australia's six-digit 13 numbers on an Australian page", () => {
    expect(values("<p>SES Storm Damage: 132 500</p><p>Byron Bay NSW 2481</p>")).toEqual(["+61132500"])
    expect(values("<p>132 500 visitors</p>")).toEqual([])
  })

  it("reads a number in the page's country before a country named in a nearby link", () => {
    expect(
      values(
        "<ul><li>Colombia</li><li>Newsletter</li></ul><p>Call 1800 1200 004 (Toll Free)</p><p>Mumbai, India</p>",
      ),
    ).toEqual(["+9118001200004"])
  })

  it("reads the North American shape as such on a US page that names other countries", () => {
    expect(values("<p>Our work in China and India.</p><p>Phone: 202 483 7601</p>")).toEqual(["+12024837601"])
  })

  it("prefers the address to a template's lang, and ignores zero-width spaces and tel://", () => {
    expect(values(`<html lang="en-US"><p>Mumbai office</p><p>Call 90294 69932</p></html>`)).toEqual([
      "+919029469932",
    ])
    expect(values(`<p>+49 69 630\u200b2-309</p><a href="tel://+4969630%E2%80%8B2-308">x</a>`)).toEqual([
      "+49696302308",
      "+49696302309",
    ])
  })
})
