package fakeapi

// The product catalog the demo groups draw from: Twilio-like names,
// categories shared by related products (so the category filter has
// something to do), units, and list prices close to real ones.

// region says which market a product belongs to; each demo group weighs
// regions differently, which decides what it buys and how much.
type region uint8

const (
	regionGlobal region = iota // features used everywhere: verify, lookups, voice features
	regionUS
	regionCA
	regionUK
	regionEU
	regionIntl
	regionCount
)

// weekShape is a product's weekly cycle, Monday-to-Friday against the weekend.
type weekShape uint8

const (
	weekBusiness weekShape = iota // notifications and marketing: quiet weekends
	weekVoice                     // call centres: very quiet weekends
	weekConsumer                  // sign-ins and lookups: nearly flat
)

// weekendFactor is the Saturday and Sunday level relative to a weekday.
func (w weekShape) weekendFactor() (sat, sun float64) {
	switch w {
	case weekVoice:
		return 0.35, 0.3
	case weekConsumer:
		return 0.9, 0.85
	}
	return 0.6, 0.5
}

// spec is one catalog product.
type spec struct {
	name     string
	category string
	unit     string
	// price is the USD list price per unit in units of 0.00001.
	price int64
	// daily is the typical weekday cost in USD for a mid-size account;
	// for a monthly product it is the typical number of units rented.
	daily   float64
	monthly bool // a recurring charge, billed once a month on a fixed day
	tenths  bool // usage is metered to a tenth of a unit (per-6-second minutes)
	week    weekShape
	region  region
}

const (
	catSMSOut     = "sms-outbound"
	catSMSIn      = "sms-inbound"
	catMMSOut     = "mms-outbound"
	catMMSIn      = "mms-inbound"
	catCarrierFee = "carrier-fees"
	catWhatsApp   = "whatsapp"
	catCallsOut   = "calls-outbound"
	catCallsIn    = "calls-inbound"
	catCallsSIP   = "calls-sip"
	catCallsApp   = "calls-client"
	catVoiceAI    = "voice-intelligence"
	catNumbers    = "phonenumbers"
	catShortCodes = "shortcodes"
	catA2P        = "a2p-registration"
	catSupport    = "support-plans"
	catVerify     = "verify"
	catLookups    = "lookups"
	catMessaging  = "messaging-fees"
	catServerless = "serverless"
	catConvo      = "conversations"
)

// smsCountry is an international outbound SMS destination.
type smsCountry struct {
	name   string
	price  int64 // USD per segment, 0.00001 units
	daily  float64
	region region
}

var smsCountries = []smsCountry{
	{"United Kingdom", 4630, 400, regionUK},
	{"Germany", 8550, 40, regionEU},
	{"France", 8090, 35, regionEU},
	{"Spain", 8870, 20, regionEU},
	{"Italy", 8210, 18, regionEU},
	{"Netherlands", 10180, 15, regionEU},
	{"Ireland", 7730, 12, regionEU},
	{"Sweden", 6620, 8, regionEU},
	{"Poland", 4110, 6, regionEU},
	{"Belgium", 9350, 7, regionEU},
	{"Portugal", 3630, 5, regionEU},
	{"Brazil", 5950, 25, regionIntl},
	{"Mexico", 4890, 30, regionIntl},
	{"India", 8300, 20, regionIntl},
	{"Australia", 5150, 22, regionIntl},
	{"Japan", 8030, 10, regionIntl},
	{"Singapore", 4810, 6, regionIntl},
	{"Philippines", 18020, 9, regionIntl},
	{"Nigeria", 24120, 5, regionIntl},
	{"South Africa", 3470, 4, regionIntl},
	{"Israel", 24500, 3, regionIntl},
	{"Colombia", 1500, 4, regionIntl},
}

// catalog returns every product any demo group may buy.
func catalog() []spec {
	s := []spec{
		// United States and Canada messaging.
		{name: "United States-Outbound-LC-SMS", category: catSMSOut, unit: "segments", price: 790, daily: 1500, region: regionUS},
		{name: "United States-Outbound-TF-SMS", category: catSMSOut, unit: "segments", price: 830, daily: 120, region: regionUS},
		{name: "United States-Outbound-SC-SMS", category: catSMSOut, unit: "segments", price: 790, daily: 250, region: regionUS},
		{name: "United States-Inbound-LC-SMS", category: catSMSIn, unit: "segments", price: 790, daily: 60, region: regionUS},
		{name: "United States-Inbound-TF-SMS", category: catSMSIn, unit: "segments", price: 830, daily: 8, region: regionUS},
		{name: "United States-Outbound-LC-MMS", category: catMMSOut, unit: "messages", price: 2000, daily: 150, region: regionUS},
		{name: "United States-Inbound-LC-MMS", category: catMMSIn, unit: "messages", price: 2000, daily: 10, region: regionUS},
		{name: "United States-Carrier Fees-SMS", category: catCarrierFee, unit: "segments", price: 300, daily: 80, region: regionUS},
		{name: "United States-Carrier Fees-MMS", category: catCarrierFee, unit: "messages", price: 500, daily: 15, region: regionUS},
		{name: "Canada-Outbound-SMS", category: catSMSOut, unit: "segments", price: 790, daily: 40, region: regionCA},
		{name: "Canada-Inbound-SMS", category: catSMSIn, unit: "segments", price: 790, daily: 4, region: regionCA},
		{name: "Canada-Outbound-MMS", category: catMMSOut, unit: "messages", price: 2000, daily: 6, region: regionCA},
		{name: "United Kingdom-Inbound-SMS", category: catSMSIn, unit: "segments", price: 790, daily: 10, region: regionUK},
		{name: "WhatsApp-Business-Initiated-Marketing", category: catWhatsApp, unit: "messages", price: 2500, daily: 50, region: regionGlobal},
		{name: "WhatsApp-Business-Initiated-Utility", category: catWhatsApp, unit: "messages", price: 1000, daily: 20, region: regionGlobal, week: weekConsumer},
		{name: "WhatsApp-User-Initiated-Service", category: catWhatsApp, unit: "messages", price: 500, daily: 5, region: regionGlobal, week: weekConsumer},
		{name: "Programmable Messaging-Failed Message Processing Fee", category: catMessaging, unit: "messages", price: 100, daily: 0.8, region: regionGlobal},

		// Voice.
		{name: "Voice-Outbound-Minutes", category: catCallsOut, unit: "minutes", price: 1400, daily: 200, week: weekVoice, region: regionGlobal},
		{name: "Voice-Outbound-Canada-Minutes", category: catCallsOut, unit: "minutes", price: 1400, daily: 10, week: weekVoice, region: regionCA},
		{name: "Voice-Outbound-United Kingdom-Mobile-Minutes", category: catCallsOut, unit: "minutes", price: 4200, daily: 60, week: weekVoice, region: regionUK},
		{name: "Voice-Outbound-United Kingdom-Landline-Minutes", category: catCallsOut, unit: "minutes", price: 1400, daily: 25, week: weekVoice, region: regionUK},
		{name: "Voice-Outbound-Germany-Minutes", category: catCallsOut, unit: "minutes", price: 2900, daily: 8, week: weekVoice, region: regionEU},
		{name: "Voice-Outbound-Mexico-Mobile-Minutes", category: catCallsOut, unit: "minutes", price: 5600, daily: 6, week: weekVoice, region: regionIntl},
		{name: "Voice-Outbound-India-Minutes", category: catCallsOut, unit: "minutes", price: 1000, daily: 5, week: weekVoice, region: regionIntl},
		{name: "Voice-Inbound-Local-Minutes", category: catCallsIn, unit: "minutes", price: 850, daily: 40, week: weekVoice, region: regionGlobal},
		{name: "Voice-Inbound-TollFree-Minutes", category: catCallsIn, unit: "minutes", price: 2200, daily: 60, week: weekVoice, region: regionUS},
		{name: "Voice-SIP-Interface-Minutes", category: catCallsSIP, unit: "minutes", price: 400, daily: 30, tenths: true, week: weekVoice, region: regionGlobal},
		{name: "Voice-Client-Minutes", category: catCallsApp, unit: "minutes", price: 400, daily: 15, tenths: true, week: weekVoice, region: regionGlobal},
		{name: "Voice-Recordings-Minutes", category: catVoiceAI, unit: "minutes", price: 250, daily: 8, tenths: true, week: weekVoice, region: regionGlobal},
		{name: "Voice-Transcriptions-Minutes", category: catVoiceAI, unit: "minutes", price: 5000, daily: 12, week: weekVoice, region: regionGlobal},
		{name: "Voice-Conference-Participant-Minutes", category: catCallsApp, unit: "minutes", price: 180, daily: 6, week: weekVoice, region: regionGlobal},
		{name: "Voice-Answering Machine Detection", category: catVoiceAI, unit: "calls", price: 750, daily: 9, week: weekVoice, region: regionGlobal},

		// Recurring charges: the same day every month.
		{name: "Phone Numbers-Local", category: catNumbers, unit: "numbers", price: 115000, daily: 120, monthly: true, region: regionUS},
		{name: "Phone Numbers-Toll Free", category: catNumbers, unit: "numbers", price: 215000, daily: 25, monthly: true, region: regionUS},
		{name: "Phone Numbers-Canada-Local", category: catNumbers, unit: "numbers", price: 115000, daily: 15, monthly: true, region: regionCA},
		{name: "Phone Numbers-United Kingdom-Local", category: catNumbers, unit: "numbers", price: 115000, daily: 40, monthly: true, region: regionUK},
		{name: "Phone Numbers-United Kingdom-Mobile", category: catNumbers, unit: "numbers", price: 125000, daily: 30, monthly: true, region: regionUK},
		{name: "Phone Numbers-Germany-Local", category: catNumbers, unit: "numbers", price: 130000, daily: 6, monthly: true, region: regionEU},
		{name: "Short Code-Monthly Lease", category: catShortCodes, unit: "numbers", price: 100000000, daily: 1, monthly: true, region: regionUS},
		{name: "A2P 10DLC-Campaign-Monthly Fee", category: catA2P, unit: "campaigns", price: 1000000, daily: 3, monthly: true, region: regionUS},
		{name: "Support Plan-Production-Monthly Fee", category: catSupport, unit: "months", price: 25000000, daily: 1, monthly: true, region: regionGlobal},

		// Verify.
		{name: "Verify-SMS", category: catVerify, unit: "verifications", price: 5000, daily: 100, week: weekConsumer, region: regionGlobal},
		{name: "Verify-Voice", category: catVerify, unit: "verifications", price: 5000, daily: 10, week: weekConsumer, region: regionGlobal},
		{name: "Verify-Email", category: catVerify, unit: "verifications", price: 5000, daily: 3, week: weekConsumer, region: regionGlobal},
		{name: "Verify-WhatsApp", category: catVerify, unit: "verifications", price: 5000, daily: 8, week: weekConsumer, region: regionGlobal},
		{name: "Verify-Push", category: catVerify, unit: "verifications", price: 100, daily: 0.6, week: weekConsumer, region: regionGlobal},
		{name: "Verify-TOTP", category: catVerify, unit: "verifications", price: 100, daily: 0.4, week: weekConsumer, region: regionGlobal},
		{name: "Verify-Silent Network Auth", category: catVerify, unit: "verifications", price: 5000, daily: 4, week: weekConsumer, region: regionGlobal},

		// Lookup.
		{name: "Lookups-Carrier", category: catLookups, unit: "requests", price: 500, daily: 2, week: weekConsumer, region: regionGlobal},
		{name: "Lookups-Caller Name", category: catLookups, unit: "requests", price: 1000, daily: 6, week: weekConsumer, region: regionGlobal},
		{name: "Lookups-Line Type Intelligence", category: catLookups, unit: "requests", price: 800, daily: 3, week: weekConsumer, region: regionGlobal},
		{name: "Lookups-SIM Swap", category: catLookups, unit: "requests", price: 5000, daily: 1, week: weekConsumer, region: regionGlobal},
		{name: "Lookups-Identity Match", category: catLookups, unit: "requests", price: 10000, daily: 2, week: weekConsumer, region: regionGlobal},
		{name: "Lookups-Reassigned Number", category: catLookups, unit: "requests", price: 125, daily: 0.2, week: weekConsumer, region: regionUS},

		// Other platform products.
		{name: "Conversations-Active Users", category: catConvo, unit: "users", price: 5000, daily: 15, week: weekConsumer, region: regionGlobal},
		{name: "Functions-Invocations", category: catServerless, unit: "requests", price: 10, daily: 0.1, week: weekConsumer, region: regionGlobal},
		{name: "Studio-Executions", category: catServerless, unit: "executions", price: 100, daily: 2, region: regionGlobal},
	}
	for _, c := range smsCountries {
		s = append(s, spec{name: c.name + "-Outbound-SMS", category: catSMSOut, unit: "segments", price: c.price, daily: c.daily, region: c.region})
	}
	return s
}

// groupDef is a demo billing group: who it is and what it buys.
type groupDef struct {
	Group
	weights              [regionCount]float64
	minProducts, maxProd int
	// fx converts USD list prices into the group's currency.
	fx float64
}

// Demo billing group ids, fixed so configs, docs and tests can name them.
const (
	DemoGroupAcmeUS = "commerce_billingprofile_01hv6acme5us8k2q"
	DemoGroupAcmeUK = "commerce_billingprofile_01hv6acme7uk3m4r"
	DemoGroupGlobex = "commerce_billingprofile_01hv7globex9z5t1"
)

var demoGroups = []groupDef{
	{
		Group:       Group{ID: DemoGroupAcmeUS, Name: "Acme US", Currency: "USD"},
		weights:     [regionCount]float64{regionGlobal: 1, regionUS: 1, regionCA: 0.4, regionUK: 0.08, regionEU: 0.08, regionIntl: 0.1},
		minProducts: 50, maxProd: 62, fx: 1,
	},
	{
		Group:       Group{ID: DemoGroupAcmeUK, Name: "Acme UK", Currency: "GBP"},
		weights:     [regionCount]float64{regionGlobal: 0.7, regionUS: 0.05, regionUK: 1.2, regionEU: 0.5, regionIntl: 0.08},
		minProducts: 40, maxProd: 48, fx: 0.79,
	},
	{
		Group:       Group{ID: DemoGroupGlobex, Name: "Globex", Currency: "USD"},
		weights:     [regionCount]float64{regionGlobal: 1.2, regionUS: 0.6, regionCA: 0.3, regionUK: 0.5, regionEU: 0.6, regionIntl: 0.7},
		minProducts: 68, maxProd: 78, fx: 1,
	},
}
